"""The peer: LitServe serving the same vae-2d decoder, written the way its docs show (a LitAPI with
setup / decode_request / predict / encode_response, run by a LitServer). bench/anchors.py starts it
and checks its pixels against ours. Needs the `bench` extra (`pip install -e '.[bench]'`).

    python bench/litserve_app.py --port 8002 [--max-batch-size 8 --batch-timeout 0.001]
    curl -X POST localhost:8002/predict -d '{"z": [0.5, -1.2]}' -o digit.png

A request is a JSON body {"z": [z1, z2]} (LitServe endpoints are POSTs of JSON); the answer a PNG of
the 28×28 digit, quantised exactly as ours (app.imaging.to_uint8), encoded with Pillow as a user
of LitServe would."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository, when run as a script

import litserve as ls  # noqa: E402
import torch  # noqa: E402
from fastapi import Response  # noqa: E402
from PIL import Image  # noqa: E402

from latent_explorer.paths import CHECKPOINTS  # noqa: E402


class DecoderAPI(ls.LitAPI):
    def setup(self, device):
        from models.checkpoint import load_checkpoint

        # One intra-op thread, as our server runs by default: LitServe's HTTP process shares the
        # cores with this inference process, and two torch threads starve it (bench/RESULTS.md).
        # The torch model, as a LitServe user would serve it (our server runs its ONNX export).
        torch.set_num_threads(1)
        self.model = load_checkpoint(CHECKPOINTS / "vae-2d").model.to(device).eval()

    def decode_request(self, request):
        return torch.tensor(request["z"], dtype=torch.float32)

    def predict(self, z):
        # Batching on, z is (B, 2) (LitAPI.batch stacks the requests' tensors); off, one (2,).
        with torch.inference_mode():
            if z.dim() == 1:
                return self.model.decode(z[None]).view(28, 28)
            return self.model.decode(z).view(-1, 28, 28)

    def unbatch(self, output):
        return list(output)

    def encode_response(self, pixels):
        from app.imaging import to_uint8

        buffer = io.BytesIO()
        Image.fromarray(to_uint8(pixels.numpy()), mode="L").save(buffer, format="PNG")
        return Response(content=buffer.getvalue(), media_type="image/png")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8002)
    parser.add_argument("--max-batch-size", type=int, default=1)
    parser.add_argument("--batch-timeout", type=float, default=0.0, help="seconds")
    args = parser.parse_args()
    api = DecoderAPI(max_batch_size=args.max_batch_size, batch_timeout=args.batch_timeout)
    server = ls.LitServer(api, accelerator="cpu")
    server.run(host="127.0.0.1", port=args.port, log_level="warning", generate_client_file=False)


if __name__ == "__main__":
    main()
