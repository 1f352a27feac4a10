import matplotlib

# Unit tests draw figures off-screen.
matplotlib.use("Agg")
