"""tfdv.visualize_statistics in a notebook: the lab's table (fixed) or Facets from the internet (stock)?"""

import pandas as pd
import tensorflow_data_validation as tfdv
from IPython.utils.capture import capture_output

from _shell import html_of, notebook_shell, verdict

notebook_shell()
statistics = tfdv.generate_statistics_from_dataframe(pd.DataFrame({"fare": [4.5, 10.25, 33.0]}))
with capture_output() as captured:
    tfdv.visualize_statistics(statistics)
html = html_of(captured.outputs)
verdict("<table" in html and "https://" not in html and "<script" not in html, html[:300])
