"""A markdown table of the stored metrics of every checkpoint (what `latent-explorer metrics` prints)."""

from __future__ import annotations

from pathlib import Path

from models.checkpoint import read_meta


def _f(value, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def metrics_table(folders: list[Path]) -> str:
    rows = ["| checkpoint | kind | held-out metrics | train s |", "|---|---|---|---|"]
    for folder in folders:
        meta = read_meta(folder)
        m, kind = meta.get("metrics", {}), meta["kind"]
        if kind in ("vae", "cvae"):
            text = (f"−ELBO {_f(m.get('test_neg_elbo_nats'))} nats (rec {_f(m.get('test_reconstruction_nats'))} + "
                    f"KL {_f(m.get('test_kl_nats'))}); IW log-lik (k={m.get('iw_samples')}) "
                    f"{_f(m.get('test_iw_log_likelihood_nats'))}; train −ELBO {_f(m.get('train_neg_elbo_nats'))}")
            if "generated_label_accuracy" in m:
                text += f"; generated digits read as their label {m['generated_label_accuracy']:.1%}"
            if "manifold_classes_present" in m:
                text += f"; 20×20 manifold shows {m['manifold_classes_present']}/10 classes"
        elif kind == "mdn":
            text = (f"test NLL {_f(m.get('test_nll_nats'), 3)} nats vs unimodal Gaussian "
                    f"{_f(m.get('unimodal_baseline_test_nll_nats'), 3)}")
            if "both_elbows_found" in m:
                text += (f"; both elbows found {m['both_elbows_found']:.1%} of {m['targets_with_two_solutions_in_domain']} "
                         f"targets; reach error: most probable kernel {_f(m['reach_error_most_probable_kernel'], 3)}, "
                         f"conditional mean {_f(m['reach_error_conditional_mean'], 3)}")
        else:
            text = f"test accuracy {m.get('test_accuracy', 0):.1%}"
        rows.append(f"| {meta['id']} | {kind} | {text} | {_f(meta.get('training', {}).get('seconds'))} |")
    return "\n".join(rows)
