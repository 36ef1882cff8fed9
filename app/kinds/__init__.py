"""The model kinds this server serves, one declaration each (app.kind says what one holds)."""

from app.kinds.digits import CVAE_KIND, VAE_KIND
from app.kinds.mixtures import MDN_KIND
from app.kinds.poses import POSE_KIND

BUILTIN_KINDS = (VAE_KIND, CVAE_KIND, MDN_KIND, POSE_KIND)
