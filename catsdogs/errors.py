"""The one exception class of the series: a problem you can fix, with a message that says how."""


class CatsDogsError(Exception):
    """A problem with the data, a file or a setting that the message explains, with what to do.

    The series' functions raise it (never SystemExit, which would end a script that imports the
    package). Its cause, if any, is kept: the message names it, and `__cause__` holds it. In a
    notebook, IPython shows the message alone instead of a long traceback.
    """

    def _render_traceback_(self):
        """What IPython shows for this exception: the message, without the traceback."""
        return [f"{type(self).__name__}: {self}"]
