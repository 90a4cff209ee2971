"""In a lab container: run a notebook's code cells in a new Jupyter kernel, as JupyterLab would, up to and including
the first cell whose source contains MARKER; print JSON {"executed": cells run, "errors": [cell errors]}.

    python notebook_head.py Proyecto2.ipynb "interactive_context("

The kernel starts in the notebook's folder, like JupyterLab's. A cell's error is reported, not raised, so the
test's message names it.
"""

import json
import sys

import nbformat
from nbclient import NotebookClient

path, marker = sys.argv[1], sys.argv[2]
notebook = nbformat.read(path, as_version=4)
code = [cell for cell in notebook.cells if cell.cell_type == "code"]
last = next(i for i, cell in enumerate(code) if marker in cell.source)
notebook.cells = code[: last + 1]
client = NotebookClient(notebook, timeout=300, kernel_name="python3", allow_errors=True,
                        resources={"metadata": {"path": "."}})
client.execute()
errors = [f"{output.ename}: {output.evalue}" for cell in notebook.cells for output in cell.outputs
          if output.output_type == "error"]
print(json.dumps({"executed": len(notebook.cells), "errors": errors}))
