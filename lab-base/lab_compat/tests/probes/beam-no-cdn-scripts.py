"""Beam's interactive environment in a notebook: no scripts from CDNs (fixed) or jQuery/DataTables (stock)?"""

from apache_beam.runners.interactive import interactive_environment
from IPython.utils.capture import capture_output

from _shell import html_of, notebook_shell, verdict

notebook_shell()
environment = interactive_environment.InteractiveEnvironment.__new__(interactive_environment.InteractiveEnvironment)
with capture_output() as captured:
    environment.load_jquery_with_datatable()
injected = html_of(captured.outputs)
verdict("https://" not in injected, injected[:300])
