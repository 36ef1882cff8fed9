"""Markdown tables of the stored metrics of every checkpoint (what `latent-explorer metrics` prints)."""

from __future__ import annotations

from pathlib import Path

from runtime.checkpoint import read_meta


def _f(value, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _pct(value) -> str:
    return "—" if value is None else f"{value:.1%}"


def _seconds(meta: dict) -> str:
    return _f(meta.get("training", {}).get("seconds"))


def _image_row(meta: dict) -> str:
    m = meta.get("metrics", {})
    elbo = (f"{_f(m.get('test_neg_elbo_nats'))} ({_f(m.get('test_reconstruction_nats'))} + "
            f"{_f(m.get('test_kl_nats'))})")
    labels = _pct(m.get("generated_label_accuracy"))
    if "manifold_confident_cells_per_class" in m:
        cells = m["manifold_confident_cells_per_class"]
        labels = f"map: {sum(c >= 3 for c in cells)}/10 classes in ≥ 3 confident cells (fewest {min(cells)})"
    elif "manifold_classes_present" in m:  # evaluated before the confident cells were counted
        labels = f"map shows {m['manifold_classes_present']}/10 classes"
    frechet = f"{_f(m.get('frechet_distance'), 2)} ({_f(m.get('frechet_floor_test_halves'), 2)})"
    confident = f"{_pct(m.get('confident_samples'))} ({_pct(m.get('confident_test_images'))})"
    return (f"| {meta['id']} | {meta.get('data', {}).get('title', '—')} | {meta['config']['latent_dim']} | {elbo} | "
            f"{_f(m.get('test_iw_log_likelihood_nats'))} | {_f(m.get('train_neg_elbo_nats'))} | {labels} | {frechet} | "
            f"{confident} | {_pct(m.get('reconstruction_keeps_class'))} | {_seconds(meta)} |")


def _other_row(meta: dict) -> str:
    m, kind = meta.get("metrics", {}), meta["kind"]
    if kind == "mdn":
        text = (f"test NLL {_f(m.get('test_nll_nats'), 3)} nats vs unimodal Gaussian "
                f"{_f(m.get('unimodal_baseline_test_nll_nats'), 3)}")
        if "best_possible_test_nll_nats" in m:
            text += (f"; best possible {_f(m['best_possible_test_nll_nats'], 3)} "
                     f"(gap {_f(m['test_nll_nats'] - m['best_possible_test_nll_nats'], 3)})")
        if "grid_x_with_three_intervals" in m:
            text += (f"; exact p(t|x) in three pieces at {m['grid_x_with_three_intervals']} of {m['grid_points']} x, "
                     f"three modes found at {m['grid_x_with_three_modes']}")
        if "both_elbows_found" in m:
            text += (f"; both elbows found {m['both_elbows_found']:.1%} of {m['targets_with_two_solutions_in_domain']} "
                     f"targets; reach error: most probable kernel {_f(m['reach_error_most_probable_kernel'], 3)}, "
                     f"conditional mean {_f(m['reach_error_conditional_mean'], 3)}")
    elif kind == "pose":
        text = (f"MPJPE best of {meta['config']['components']} {_f(m.get('mpjpe_best_of_k_mm'))} mm, most probable "
                f"{_f(m.get('mpjpe_most_probable_mm'))}, conditional mean {_f(m.get('mpjpe_conditional_mean_mm'))} vs "
                f"unimodal {_f(m.get('mpjpe_unimodal_baseline_mm'))} (ratio {_f(m.get('best_of_k_over_unimodal'), 2)}); "
                f"flat pose {_f(m.get('mpjpe_flat_zero_depth_mm'))}; reprojection "
                f"{_f(m.get('reprojection_mm_max_pi_ge_min'), 2)} mm; bone length error "
                f"{_f(m.get('bone_length_error_best_of_k_mm'))} mm")
    else:
        text = f"{meta.get('data', {}).get('title', '')} test accuracy {_pct(m.get('test_accuracy'))}".strip()
    return f"| {meta['id']} | {kind} | {text} | {_seconds(meta)} |"


def metrics_table(folders: list[Path]) -> str:
    metas = [read_meta(folder) for folder in folders]
    image = [
        "| checkpoint | data | z dims | test −ELBO, nats (rec + KL) | IW log-lik (k=200) | train −ELBO | "
        "label accuracy | Fréchet distance (floor) | confident samples (real test images) | "
        "reconstruction keeps class | train s |",
        "|---|---|---:|---|---:|---:|---|---|---|---:|---:|",
        *(_image_row(m) for m in metas if m["kind"] in ("vae", "cvae")),
    ]
    other = ["| checkpoint | kind | test metrics | train s |", "|---|---|---|---|",
             *(_other_row(m) for m in metas if m["kind"] not in ("vae", "cvae"))]
    return "\n".join(image) + "\n\n" + "\n".join(other)
