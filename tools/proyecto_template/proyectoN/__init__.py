"""ProyectoN: __TITULO__."""
