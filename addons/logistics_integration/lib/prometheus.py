"""Render metric families in the Prometheus text exposition format (0.0.4)."""


def render(families):
    """``families``: iterable of ``(name, kind, help, samples)``, where
    ``samples`` is a list of ``(labels dict, value)``."""
    lines = []
    for name, kind, help_text, samples in families:
        lines += [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]
        for labels, value in samples:
            label_text = ",".join(f'{key}="{_escape(val)}"' for key, val in labels.items())
            series = f"{name}{{{label_text}}}" if labels else name
            lines.append(f"{series} {_number(value)}")
    return "\n".join(lines) + "\n"


def _escape(value):
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _number(value):
    return str(value) if isinstance(value, int) else f"{value:.6g}"
