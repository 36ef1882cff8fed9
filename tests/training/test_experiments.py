import pytest

from training.experiments import _value, main, variant
from training.recipes import RECIPES


def test_a_variant_changes_the_recipe_and_its_model_and_nothing_else():
    shipped = RECIPES["vae-8d"]
    changed = variant(shipped, {"hidden": [64], "epochs": 3, "kl_weight": 2.0})
    assert changed.config.hidden == [64] and changed.epochs == 3 and changed.kl_weight == 2.0
    assert changed.config.latent_dim == shipped.config.latent_dim and changed.lr == shipped.lr
    assert RECIPES["vae-8d"] is shipped and shipped.epochs != 3  # the table itself is untouched


def test_values_are_read_as_lists_numbers_and_flags():
    assert _value("512,512") == [512, 512] and _value("1e-3") == 0.001 and _value("40") == 40
    assert _value("true") is True and _value("bernoulli") == "bernoulli"


def test_an_unknown_field_or_a_change_without_a_value_is_refused_in_one_line(capsys):
    with pytest.raises(KeyError, match="widht"):
        variant(RECIPES["vae-2d"], {"widht": 3})
    assert main(["vae-2d", "widht=3"]) == 2
    assert main(["vae-2d", "epochs"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "widht" in err[0] and "key=value" in err[1]
