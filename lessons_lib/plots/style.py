"""One colour-blind-safe palette for every figure of the book (Okabe & Ito, 2008)."""

OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}

#: The order in which curves take colours when several share one axis: the first four are the most
#: distinct from each other (orange and vermillion, close for many readers, are far apart in the list).
CYCLE = [OKABE_ITO[k] for k in ("blue", "orange", "green", "purple", "sky", "vermillion", "black")]
#: Line styles to pair with CYCLE, so curves stay apart in greyscale too.
LINESTYLES = ["-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 3))]
