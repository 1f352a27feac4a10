"""What the interactive explorers draw, as pure functions of their control values.

numpy only: these functions are tested without matplotlib or ipywidgets, and each explorer in
``lessons_lib.explorers`` just draws what they return.
"""
