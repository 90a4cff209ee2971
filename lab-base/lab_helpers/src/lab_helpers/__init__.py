"""The course's helpers: what every notebook and pipeline of the lab imports."""
