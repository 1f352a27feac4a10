import os

import matplotlib
from hypothesis import settings

# A claim of the text that fails raises here (a student's kernel only prints a note): lessons_lib.claims.
os.environ["LESSONS_LIB_STRICT_CLAIMS"] = "1"

# Unit tests draw figures off-screen.
matplotlib.use("Agg")

# In CI, property-based tests replay the same examples every run (a red CI is then reproducible);
# locally they explore new examples each time.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")
