"""Checks of the book's exercises: a student fills in a starter cell and a check says right or wrong, and why.

One module per section, named after it (``section_2_1`` for section 2.1, ``section_2_2_1`` for 2.2.1), with
one check per checkable exercise, named after what it checks. A notebook imports its section's module in its
first code cell and calls the checks in its starter cells::

    from lessons_lib.checks import section_2_1 as check

    nor = ...                  # the student replaces the ... by an answer
    check.nor_neuron(nor)      # prints "Correct: ...", "Not yet: ..." or "Exercise 1 is not answered yet: ..."

``check.nor_neuron.evaluate(nor)`` returns the :class:`~lessons_lib.checks._core.Result` instead of
printing it. The shared machinery is in :mod:`lessons_lib.checks._core`; CONTRIBUTING.md ("Exercises that
check themselves") says how to write a check and its tests. Like the model modules, the checks need numpy
only.
"""
