"""Plotly figure builders: data in, ``go.Figure`` out. No Streamlit here.

Example:
    >>> fig = confusion_matrix_figure(np.array([[5, 1], [2, 7]]), ["no", "yes"])
    >>> fig.data[0].type
    'heatmap'
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from evalcore.metrics.report import Calibration, ClassCurves, ScoreHistogram
from evalcore.runs.curves import RunCurves

PALETTE = ("#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#db2777", "#65a30d", "#4f46e5",
           "#b45309")
FONT = dict(family="Inter, system-ui, sans-serif", size=13)
MAX_LEGEND_CLASSES = 12


AXIS = dict(gridcolor="#e5e7eb", zerolinecolor="#d1d5db", linecolor="#d1d5db", ticks="")


def safe(text) -> str:
    """User text (a class label, a run name) for a chart: Plotly reads <b>, <a href>, <br> and entities in any
    label, so they are written as entities and show literally.

    >>> safe('<a href="x">&</a>')
    '&lt;a href="x"&gt;&amp;&lt;/a&gt;'
    """
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _layout(fig: go.Figure, title: str, x: str, y: str, height: int = 420) -> go.Figure:
    """Shared look. A light theme set property by property: applying a named template costs ~20 ms a figure,
    which the threshold slider pays on every move. The legend goes under the plot, so a half-width chart at 800 px
    keeps its plot wide."""
    fig.update_layout(title=dict(text=title, x=0.01), height=height, font=FONT, paper_bgcolor="white",
                      plot_bgcolor="white", margin=dict(l=60, r=20, t=50, b=50),
                      legend=dict(orientation="h", x=0, y=-0.22, yanchor="top", font=dict(size=11)),
                      xaxis=dict(title=x, **AXIS), yaxis=dict(title=y, **AXIS))
    return fig


def _color(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def _cell_text_plan(k: int) -> tuple[int, int]:
    """(text lines per cell, pixels per row) that stay readable for k classes; details are on hover.

    >>> _cell_text_plan(2), _cell_text_plan(10), _cell_text_plan(50)
    ((3, 70), (2, 44), (0, 20))
    """
    if k <= 6:
        return 3, 70
    if k <= 15:
        return 2, 44
    if k <= 30:
        return 1, 26
    return 0, 20


def confusion_matrix_figure(cm: np.ndarray, classes, normalize: str = "none") -> go.Figure:
    """Heatmap of counts with row % (recall) and column % (precision) in every cell.

    ``normalize``: 'none' colours by count, 'true' by row share, 'pred' by column share.
    """
    cm = np.asarray(cm, dtype=np.float64)
    k = cm.shape[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        row = np.nan_to_num(cm / cm.sum(axis=1, keepdims=True))
        col = np.nan_to_num(cm / cm.sum(axis=0, keepdims=True))
    z = {"true": row, "pred": col}.get(normalize, cm)
    labels = [safe(c) for c in classes]
    lines, row_px = _cell_text_plan(k)

    def cell(i: int, j: int) -> str:  # with more than 6 classes cells are narrow: the row share without words
        row_share = f"{row[i, j]:.0%} of row" if k <= 6 else f"{row[i, j]:.0%}"
        parts = [f"{int(cm[i, j]):,}", row_share, f"{col[i, j]:.0%} of col"]
        return "<br>".join(parts[:lines])

    text = [[cell(i, j) for j in range(k)] for i in range(k)]
    hover = [[f"true {labels[i]} → predicted {labels[j]}<br>{int(cm[i, j]):,} rows<br>"
              f"{row[i, j]:.1%} of true {labels[i]}<br>{col[i, j]:.1%} of predicted {labels[j]}"
              for j in range(k)] for i in range(k)]
    fig = go.Figure(go.Heatmap(z=z, x=labels, y=labels, text=text, hovertext=hover, hoverinfo="text",
                               texttemplate="%{text}" if lines else None, colorscale="Blues", showscale=True,
                               textfont=dict(size=12 if lines > 1 else 10), xgap=1, ygap=1))
    side = min(1600, max(380, 140 + row_px * k))
    title = "Confusion matrix" + (" (cells: count, % of row)" if lines == 2 and k > 6 else "")
    _layout(fig, title, "Predicted label", "True label", height=side)
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", side="bottom", tickangle=-45 if k > 8 else 0)
    return fig


def roc_figure(curves: tuple[ClassCurves, ...], operating_point: tuple[float, float] | None = None) -> go.Figure:
    """ROC curve(s) with AUC in the legend and the chance diagonal; optional operating point."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", line=dict(dash="dot", color="#9ca3af"),
                             name="chance", hoverinfo="skip"))
    for i, c in enumerate(curves):
        fig.add_trace(go.Scatter(
            x=c.fpr, y=c.tpr, mode="lines", name=f"{safe(c.label)} (AUC {c.auc:.3f})", line=dict(color=_color(i)),
            customdata=c.roc_thresholds, visible=True if i < MAX_LEGEND_CLASSES else "legendonly",
            hovertemplate="FPR %{x:.3f}<br>TPR %{y:.3f}<br>threshold %{customdata:.4g}<extra></extra>"))
    if operating_point is not None:
        fig.add_trace(go.Scatter(x=[operating_point[0]], y=[operating_point[1]], mode="markers", name="threshold",
                                 marker=dict(size=13, color="#111827", symbol="x")))
    _layout(fig, "ROC curve" + (" (one-vs-rest)" if len(curves) > 1 else ""), "False positive rate",
            "True positive rate")
    fig.update_xaxes(range=[0, 1])
    fig.update_yaxes(range=[0, 1.02])
    return fig


def pr_figure(curves: tuple[ClassCurves, ...], operating_point: tuple[float, float] | None = None) -> go.Figure:
    """Precision-recall curve(s) with AP in the legend and each class's prevalence as the baseline."""
    fig = go.Figure()
    for i, c in enumerate(curves):
        visible = True if i < MAX_LEGEND_CLASSES else "legendonly"
        fig.add_trace(go.Scatter(
            x=c.recall, y=c.precision, mode="lines", line=dict(color=_color(i), shape="hv"),
            name=f"{safe(c.label)} (AP {c.average_precision:.3f})", customdata=c.pr_thresholds, visible=visible,
            hovertemplate="recall %{x:.3f}<br>precision %{y:.3f}<br>threshold %{customdata:.4g}<extra></extra>"))
        if len(curves) == 1:
            fig.add_trace(go.Scatter(x=[0, 1], y=[c.prevalence] * 2, mode="lines", name="chance (prevalence)",
                                     line=dict(dash="dot", color="#9ca3af"), hoverinfo="skip"))
    if operating_point is not None:
        fig.add_trace(go.Scatter(x=[operating_point[0]], y=[operating_point[1]], mode="markers", name="threshold",
                                 marker=dict(size=13, color="#111827", symbol="x")))
    _layout(fig, "Precision-recall curve" + (" (one-vs-rest)" if len(curves) > 1 else ""), "Recall", "Precision")
    fig.update_xaxes(range=[0, 1])
    fig.update_yaxes(range=[0, 1.02])
    return fig


def calibration_figure(calibration: tuple[Calibration, ...]) -> go.Figure:
    """Reliability diagram: observed frequency against mean predicted probability per bin (size = count)."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", line=dict(dash="dot", color="#9ca3af"),
                             name="perfectly calibrated", hoverinfo="skip"))
    for i, c in enumerate(calibration):
        ok = c.count > 0
        size = 6 + 18 * np.sqrt(c.count[ok] / max(c.count.max(), 1))
        fig.add_trace(go.Scatter(
            x=c.mean_predicted[ok], y=c.fraction_positive[ok], mode="lines+markers", name=safe(c.label),
            marker=dict(size=size, color=_color(i)), line=dict(color=_color(i)), customdata=c.count[ok],
            visible=True if i < MAX_LEGEND_CLASSES else "legendonly",
            hovertemplate="mean predicted %{x:.3f}<br>observed %{y:.3f}<br>%{customdata:,} rows<extra></extra>"))
    _layout(fig, "Calibration (reliability)", "Mean predicted probability", "Observed frequency")
    fig.update_xaxes(range=[0, 1])
    fig.update_yaxes(range=[0, 1.02])
    return fig


def score_histogram_figure(hist: ScoreHistogram, threshold: float | None = None) -> go.Figure:
    """Overlaid histograms of a score, one per true class; optional threshold line."""
    fig = go.Figure()
    centers = (hist.edges[:-1] + hist.edges[1:]) / 2
    width = float(hist.edges[1] - hist.edges[0])
    for i, (name, counts) in enumerate(hist.counts.items()):
        fig.add_trace(go.Bar(x=centers, y=counts, width=width, name=f"true {safe(name)}", marker_color=_color(i),
                             opacity=0.6, hovertemplate="score %{x:.3f}<br>%{y:,} rows<extra></extra>"))
    if threshold is not None:
        fig.add_vline(x=threshold, line=dict(color="#111827", dash="dash"), annotation_text=f"threshold {threshold:g}")
    fig.update_layout(barmode="overlay")
    label = safe(hist.label)
    return _layout(fig, f"Score distribution for '{label}' by true class", f"Score of '{label}'", "Rows")


def residual_figure(y_true: np.ndarray, y_pred: np.ndarray, max_points: int = 5000) -> go.Figure:
    """Predicted against true values (a sample of rows) with the identity line."""
    n = y_true.shape[0]
    idx = np.random.default_rng(0).choice(n, max_points, replace=False) if n > max_points else np.arange(n)
    lo = float(min(y_true.min(), y_pred.min()))
    hi = float(max(y_true.max(), y_pred.max()))
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[lo, hi], y=[lo, hi], mode="lines", line=dict(dash="dot", color="#9ca3af"),
                             name="perfect", hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=y_true[idx], y=y_pred[idx], mode="markers", name="rows",
                             marker=dict(size=5, color=PALETTE[0], opacity=0.5)))
    title = "Predicted vs true" + (f" ({max_points:,} of {n:,} rows)" if n > max_points else "")
    return _layout(fig, title, "True value", "Predicted value")


def training_figure(curves: RunCurves, metric: str, height: int = 340) -> go.Figure:
    """Train and validation ``metric`` per epoch, the per-batch running means faint behind them, and a star on
    the best validation epoch. The x axis runs to the planned number of epochs, so the curve grows into it."""
    fig = go.Figure()
    name = {"loss": "Loss", "accuracy": "Accuracy"}[metric]
    if metric in curves.batch and len(curves.batch_x):
        fig.add_trace(go.Scatter(x=curves.batch_x, y=curves.batch[metric], mode="lines", name="train, per batch",
                                 line=dict(color=PALETTE[0], width=1), opacity=0.45,
                                 hovertemplate="epoch %{x:.2f}<br>%{y:.4f} (running mean within the epoch)"
                                               "<extra></extra>"))
    for values, label, color in ((curves.train.get(metric), "train", PALETTE[0]),
                                 (curves.val.get(metric), "validation", PALETTE[1])):
        if values is not None and len(values):
            fig.add_trace(go.Scatter(x=curves.epochs, y=values, mode="lines+markers", name=label,
                                     line=dict(color=color, width=2.5), marker=dict(size=6),
                                     hovertemplate=f"epoch %{{x}}<br>{label} %{{y:.4f}}<extra></extra>"))
    best = curves.best_epoch(metric)
    if best is not None:
        y = curves.val[metric][best - 1]
        fig.add_trace(go.Scatter(x=[best], y=[y], mode="markers", name=f"best validation (epoch {best})",
                                 marker=dict(symbol="star", size=15, color="#f59e0b",
                                             line=dict(color="#92400e", width=1)),
                                 hovertemplate=f"best epoch {best}<br>{y:.4f}<extra></extra>"))
    if curves.restored_epoch is not None:
        fig.add_vline(x=curves.restored_epoch, line=dict(color="#92400e", width=1.5, dash="dot"),
                      annotation_text=f"weights restored (epoch {curves.restored_epoch})",
                      annotation_position="top left", annotation_font=dict(size=11, color="#92400e"))
    _layout(fig, name, "Epoch", name, height)
    last = max(curves.planned_epochs, curves.epochs_done, 1)
    fig.update_xaxes(range=[0, last + 0.3])
    if metric == "accuracy":
        fig.update_yaxes(range=[0, 1.02])
    fig.update_layout(legend=dict(orientation="h", x=0, y=-0.3, yanchor="top"), margin=dict(b=40))
    return fig


def learning_rate_figure(curves: RunCurves, planned: list[float] | None = None, height: int = 240) -> go.Figure:
    """The learning rate used in each epoch, and the planned schedule (dashed) ahead of it."""
    fig = go.Figure()
    if planned:
        fig.add_trace(go.Scatter(x=np.arange(1, len(planned) + 1), y=planned, mode="lines", name="planned",
                                 line=dict(color="#9ca3af", dash="dash", shape="hv"),
                                 hovertemplate="epoch %{x}<br>planned %{y:.3g}<extra></extra>"))
    if len(curves.lr):
        fig.add_trace(go.Scatter(x=curves.epochs, y=curves.lr, mode="lines+markers", name="used",
                                 line=dict(color=PALETTE[2], width=2.5, shape="hv"), marker=dict(size=5),
                                 hovertemplate="epoch %{x}<br>learning rate %{y:.3g}<extra></extra>"))
    _layout(fig, "Learning rate", "Epoch", "Learning rate", height)
    last = max(curves.planned_epochs, curves.epochs_done, len(planned or []), 1)
    fig.update_xaxes(range=[0, last + 0.3])
    fig.update_yaxes(exponentformat="power", rangemode="tozero")
    fig.update_layout(legend=dict(orientation="h", x=0, y=-0.4, yanchor="top"), margin=dict(b=40))
    return fig


def image_grid(images: np.ndarray, scale: int = 3) -> np.ndarray:
    """Rows x columns of single-channel images as one picture (dark on white, grey gaps), upscaled for display.

    >>> image_grid(np.zeros((2, 3, 4, 4, 1)), scale=1).shape
    (10, 16)
    """
    rows, cols, h, w = images.shape[:4]
    gap = 2
    out = np.full((rows * (h + gap) - gap, cols * (w + gap) - gap), 0.2, dtype=np.float32)  # light grey gaps
    for r in range(rows):
        for c in range(cols):
            out[r * (h + gap):r * (h + gap) + h, c * (w + gap):c * (w + gap) + w] = images[r, c, :, :, 0]
    return np.kron(1 - np.clip(out, 0, 1), np.ones((scale, scale), dtype=np.float32))  # dark digits on white


def comparison_figure(runs: dict[str, RunCurves], metric: str, split: str = "validation", per: str = "epoch",
                      smooth: str = "none", amount: float = 0.6, log_y: bool = False, max_points: int = 2000,
                      height: int = 420) -> go.Figure:
    """One metric of several runs overlaid: raw points always drawn (faint), an optional smoothed line, and
    each run's best validation epoch as a star.

    ``split``: 'train' or 'validation' (per-batch values exist for training only); ``smooth``: 'none', 'ema'
    (debiased, ``amount`` is the weight) or 'moving average' (``amount`` x 20 points wide).
    """
    from evalcore.runs.compare import ema, keep_for_display, moving_average
    fig = go.Figure()
    name = {"loss": "Loss", "accuracy": "Accuracy"}[metric]
    lower = metric == "loss"
    for i, (label, c) in enumerate(runs.items()):
        color, label = _color(i), safe(label)
        if per == "batch":
            x, y = c.batch_x, c.batch.get(metric, np.array([]))
        else:
            x, y = c.epochs, (c.train if split == "train" else c.val).get(metric, np.array([]))
        if not len(y):
            continue
        if smooth == "ema":
            line = ema(y, amount)
        elif smooth == "moving average":
            line = moving_average(y, max(2, int(round(amount * 20))))
        else:
            line = None
        keep = keep_for_display(np.asarray(y, dtype=float), max_points, lower)
        fig.add_trace(go.Scatter(x=np.asarray(x)[keep], y=np.asarray(y)[keep], mode="markers" if line is not None
                                 else "lines+markers", name=label if line is None else f"{label} (raw)",
                                 legendgroup=label, marker=dict(color=color, size=5),
                                 line=dict(color=color, width=1.5), opacity=0.35 if line is not None else 1,
                                 hovertemplate="%{fullData.name}<br>%{x}<br>%{y:.4f}<extra></extra>"))
        if line is not None:
            fig.add_trace(go.Scatter(x=np.asarray(x)[keep], y=line[keep], mode="lines", name=label,
                                     legendgroup=label, line=dict(color=color, width=2.5),
                                     hovertemplate="%{fullData.name} (smoothed)<br>%{x}<br>%{y:.4f}<extra></extra>"))
        best = c.best_epoch(metric)
        if best is not None and per == "epoch" and split == "validation":
            fig.add_trace(go.Scatter(x=[best], y=[c.val[metric][best - 1]], mode="markers", legendgroup=label,
                                     showlegend=False, text=[label],
                                     marker=dict(symbol="star", size=14, color=color,
                                                 line=dict(color="#111827", width=1)),
                                     hovertemplate=f"%{{text}}: best epoch {best}<br>%{{y:.4f}}<extra></extra>"))
    unit = "Epoch" if per == "epoch" else "Epoch (batches as fractions)"
    _layout(fig, f"{name}: {split}" + (" (per batch, running mean)" if per == "batch" else ""), unit, name, height)
    if log_y:
        fig.update_yaxes(type="log")
    fig.update_layout(legend=dict(orientation="h", x=0, y=-0.2, yanchor="top"), margin=dict(b=40))
    return fig


def parallel_coordinates_figure(frame, color: str = "best val acc", height: int = 420) -> go.Figure:
    """Settings against results across runs: one line per run, coloured by ``color``; constant columns dropped."""
    numeric = [c for c in frame.columns if c != "run" and frame[c].notna().any() and frame[c].nunique() > 1]
    if color not in numeric and color in frame.columns:
        numeric.append(color)
    dims = [dict(label=c, values=frame[c].fillna(frame[c].min() if frame[c].notna().any() else 0))
            for c in numeric]
    fig = go.Figure(go.Parcoords(line=dict(color=frame[color].fillna(0), colorscale="Viridis", showscale=True,
                                           colorbar=dict(title=color)), dimensions=dims,
                                 labelfont=dict(size=12), tickfont=dict(size=10)))
    fig.update_layout(title=dict(text="Settings against results (lines: runs)", x=0.01), height=height, font=FONT,
                      paper_bgcolor="white", margin=dict(l=60, r=60, t=110, b=30))
    return fig


def ablation_figure(effects, metric: str = "test accuracy", height: int = 360) -> go.Figure:
    """Each strategy's effect on a test metric against the baseline (paired by seed), with its interval across
    seeds; positive is better for accuracy, negative for loss."""
    rows = effects[effects["variant"] != "baseline"]
    effect, low, high = rows[f"{metric} effect"], rows[f"{metric} low"], rows[f"{metric} high"]
    better = effect > 0 if "accuracy" in metric else effect < 0
    verdicts = rows[f"{metric} verdict"] if f"{metric} verdict" in rows else None
    if verdicts is None:
        colors = [PALETTE[2] if b else PALETTE[1] for b in better]
    else:  # the verdict's colour: helps, hurts, or grey when seed noise could explain it
        colors = [{"helps": PALETTE[2], "hurts": PALETTE[1]}.get(v, "#9ca3af") for v in verdicts]
    fig = go.Figure(go.Bar(
        x=effect, y=[safe(v) for v in rows["variant"]], orientation="h", marker_color=colors,
        error_x=dict(type="data", symmetric=False, array=(high - effect).fillna(0), arrayminus=(effect - low).fillna(0),
                     color="#374151", thickness=1.5),
        customdata=np.stack([low, high, rows["runs done"]], axis=1),
        hovertemplate="%{y}: %{x:+.4f}<br>interval %{customdata[0]:+.4f} to %{customdata[1]:+.4f}"
                      "<br>%{customdata[2]} seed(s)<extra></extra>"))
    fig.add_vline(x=0, line=dict(color="#111827", width=1))
    title = f"Effect on {metric} against the baseline"
    _layout(fig, title, f"{metric}: variant - baseline (paired by seed)", "", height)
    fig.update_yaxes(autorange="reversed")
    return fig


def group_figure(bands: dict, metric: str, split: str = "validation", raw: dict | None = None,
                 height: int = 420) -> go.Figure:
    """Each group's mean curve of ``metric`` with its 95% t band across seeds (shaded), and optionally its runs'
    own curves (``raw``: label -> list of per-epoch arrays) faint behind."""
    fig = go.Figure()
    name = {"loss": "Loss", "accuracy": "Accuracy"}[metric]
    for i, (label, b) in enumerate(bands.items()):
        color, runs_of_group, label = _color(i), (raw or {}).get(label, []), safe(label)
        for values in runs_of_group:
            fig.add_trace(go.Scatter(x=np.arange(1, len(values) + 1), y=values, mode="lines", legendgroup=label,
                                     showlegend=False, line=dict(color=color, width=1), opacity=0.3,
                                     hoverinfo="skip"))
        ok = np.isfinite(b.low) & np.isfinite(b.high)
        if ok.any():
            x = b.epochs[ok]
            fig.add_trace(go.Scatter(x=np.r_[x, x[::-1]], y=np.r_[b.high[ok], b.low[ok][::-1]], fill="toself",
                                     fillcolor=color, opacity=0.18, line=dict(width=0), legendgroup=label,
                                     showlegend=False, hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=b.epochs, y=b.mean, mode="lines+markers", name=label, legendgroup=label,
                                 line=dict(color=color, width=2.5), marker=dict(size=5),
                                 customdata=np.stack([b.low, b.high, b.n], axis=1),
                                 hovertemplate=f"{label}<br>epoch %{{x}}: mean %{{y:.4f}}<br>95% interval "
                                               "%{customdata[0]:.4f} to %{customdata[1]:.4f}<br>"
                                               "%{customdata[2]} run(s)<extra></extra>"))
    _layout(fig, f"{name} ({split}): mean, 95% band", "Epoch", name, height)
    if metric == "accuracy":
        fig.update_yaxes(range=[0, 1.02])
    return fig


def learning_curve_figure(errors: dict, law, prediction, height: int = 360) -> go.Figure:
    """Test error against training rows (log scale): each seed's error, the fitted power law, and the error
    predicted for more rows with its interval."""
    fig = go.Figure()
    xs = [n for n, v in errors.items() for _ in v]
    ys = [e for v in errors.values() for e in v]
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="markers", name="each seed", marker=dict(color=PALETTE[0], size=8),
                             hovertemplate="%{x} rows: error %{y:.4f}<extra></extra>"))
    grid = np.geomspace(min(errors), prediction.rows, 50)
    fig.add_trace(go.Scatter(x=grid, y=[law.error(n) for n in grid], mode="lines", name="power law fit",
                             line=dict(color=PALETTE[0], width=2, dash="dot"), hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=[prediction.rows], y=[prediction.error], mode="markers", name="predicted",
                             marker=dict(color=PALETTE[2], size=11, symbol="diamond"),
                             error_y=dict(type="data", symmetric=False, array=[prediction.high - prediction.error],
                                          arrayminus=[prediction.error - prediction.low], color=PALETTE[2]),
                             hovertemplate=f"{prediction.rows} rows: predicted {prediction.error:.4f}<br>95% "
                                           f"interval {prediction.low:.4f} to {prediction.high:.4f}<extra></extra>"))
    _layout(fig, "Test error against training rows", "Training rows (log scale)", "Test error (1 - accuracy)",
            height)
    ticks = [*errors, prediction.rows]  # the sizes trained and the one predicted, not log-scale digits
    fig.update_xaxes(type="log", tickvals=ticks, ticktext=[f"{n:,}" for n in ticks])
    return fig
