"""Figures drawn by code. These modules import matplotlib; the model modules never do."""
