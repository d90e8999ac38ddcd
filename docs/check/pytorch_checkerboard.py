#!/usr/bin/env python3
"""The checkerboard protocol of docs/REPRODUCTION.md's capacity section, written from scratch in PyTorch.

    python3 docs/check/pytorch_checkerboard.py [--seeds 0..9] [--epochs 100] [--threads 1]

Trains the network of examples/paper/checkerboard-capacity.yaml without infodyn and reads its last
hidden layer with the decoders of docs/check/independent_estimate.py, so that a difference between
infodyn and an independent implementation can be traced to the representation or to the decoder:

  - data: the checkerboard task as docs/DESIGN.md and infodyn's CheckerboardTask define it, drawn with
    NumPy (the same distribution, other draws): 10,000 samples; per sample a red count from
    {11, 45, 67, 78, 90, 101, 108, 117, 124, 135, 147, 158, 180, 214}, a fair configuration bit,
    the red squares at uniformly random positions of the 225 (+1 red, −1 green), then the left and
    right target colours (−1 red, +1 green): 227 inputs; colour = red count < 112.5;
    direction = colour XOR configuration; a random 10 % held out;
  - network: Linear(227, 100) → ReLU → Linear(100, 100) → ReLU → Linear(100, 2) → ReLU (hidden3)
    → Linear(2, 2), torch.nn.Linear's default initialisation (equal in distribution to infodyn's);
  - training: torch.optim.SGD(lr 0.05), batch 32, a fresh permutation every epoch, last batch
    smaller, mean cross-entropy on the direction;
  - probe: after training, hidden3 of 2,000 seeded training samples (fit) and of the held-out
    samples (score); colour and direction read by the linear decoder (scikit-learn) and by the
    MLP decoder (64 ReLU units, 300 full-batch Adam steps, lr 0.01, weight decay 1e-4, standardised)
    written in PyTorch, averaged over --mlp-seeds initialisations.

With --draws infodyn the random draws are infodyn's own (its generator, SplitMix64, re-written
here): the dataset, the train/held-out split, the initial parameters, the batch order and the fit
samples of infodyn's run with the same seed, so that PyTorch trains exactly what infodyn trains;
--draws numpy uses NumPy's and PyTorch's generators (the same distributions, other draws).
--draws takes a comma list to mix: data=infodyn,init=torch,order=numpy (data: samples and
split; init: initial parameters; order: batch order and fit samples).

Prints one line per seed and the mean with its standard deviation over seeds.
"""
import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from independent_estimate import mlp_torch, usable_information  # noqa: E402

MASK = (1 << 64) - 1


def mix(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def fnv1a64(text):
    h = 0xcbf29ce484222325
    for b in text.encode("utf-8"):
        h = ((h ^ b) * 0x100000001b3) & MASK
    return h


def derive(seed, purpose):
    """infodyn's Seeds.derive."""
    return mix((seed & MASK) ^ fnv1a64(purpose))


class InfodynRng:
    """infodyn's Rng (SplitMix64), bit for bit."""

    def __init__(self, seed):
        self.state = seed & MASK

    def next_long(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        return mix(self.state)

    def next_double(self):
        return (self.next_long() >> 11) * 2.0 ** -53

    def next_int(self, bound):
        top = 2 ** 31 - 1
        limit = top - (top % bound + 1) % bound
        while True:
            r = self.next_long() >> 33
            if r <= limit:
                return r % bound

    def permutation(self, n):
        p = list(range(n))
        for i in range(n - 1, 0, -1):
            j = self.next_int(i + 1)
            p[i], p[j] = p[j], p[i]
        return np.array(p)


def infodyn_checkerboard(seed, n):
    """CheckerboardTask.create (grid encoding, no noise) and its split, with infodyn's draws."""
    rng = InfodynRng(derive(seed, "data"))
    x = np.empty((n, SQUARES + 2), dtype=np.float32)
    color = np.empty(n, dtype=np.int64)
    config = np.empty(n, dtype=np.int64)
    for i in range(n):
        red = RED_COUNTS[rng.next_int(len(RED_COUNTS))]
        config[i] = rng.next_int(2)
        color[i] = 0 if 2 * red > SQUARES else 1
        perm = rng.permutation(SQUARES)
        x[i, perm] = np.where(np.arange(SQUARES) < red, 1.0, -1.0)
        x[i, SQUARES] = -1.0 if config[i] == 0 else 1.0
        x[i, SQUARES + 1] = -x[i, SQUARES]
    perm = InfodynRng(derive(derive(seed, "data"), "split")).permutation(n)
    held, train = np.sort(perm[:round(n * 0.1)]), np.sort(perm[round(n * 0.1):])
    return x, color ^ config, color, held, train


def infodyn_init(net, seed):
    """api Initializer: each parameter from its own generator, U(−1/√fan_in, 1/√fan_in) as float32."""
    names = ["dense1", "dense2", "dense3", "output"]
    linears = [m for m in net if isinstance(m, torch.nn.Linear)]
    init_seed = derive(seed, "init")
    with torch.no_grad():
        for name, layer in zip(names, linears):
            fan_in = layer.weight.shape[1]
            bound = 1.0 / np.sqrt(fan_in)
            for suffix, p in (("weight", layer.weight), ("bias", layer.bias)):
                rng = InfodynRng(derive(init_seed, f"{name}.{suffix}"))
                v = np.array([bound * (2.0 * rng.next_double() - 1.0) for _ in range(p.numel())], dtype=np.float32)
                p.copy_(torch.from_numpy(v.reshape(p.shape)))


RED_COUNTS = np.array([11, 45, 67, 78, 90, 101, 108, 117, 124, 135, 147, 158, 180, 214])
SQUARES = 225


def checkerboard(rng, n):
    x = np.empty((n, SQUARES + 2), dtype=np.float32)
    red = RED_COUNTS[rng.integers(len(RED_COUNTS), size=n)]
    config = rng.integers(2, size=n)
    for i in range(n):
        board = -np.ones(SQUARES, dtype=np.float32)
        board[rng.permutation(SQUARES)[:red[i]]] = 1.0
        x[i, :SQUARES] = board
    left = np.where(config == 0, -1.0, 1.0)
    x[:, SQUARES] = left
    x[:, SQUARES + 1] = -left
    color = (2 * red < SQUARES).astype(np.int64)  # 0 = red dominant
    return x, color ^ config, color


def seeds(text):
    if ".." in text:
        a, b = text.split("..")
        return list(range(int(a), int(b) + 1))
    return [int(s) for s in text.split(",")]


def run(seed, epochs, mlp_seeds, draws):
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    if draws["data"] == "infodyn":
        x, direction, color, held, train = infodyn_checkerboard(seed, 10_000)
    else:
        x, direction, color = checkerboard(rng, 10_000)
        order = rng.permutation(len(x))
        held, train = order[:1000], order[1000:]
    net = torch.nn.Sequential(torch.nn.Linear(227, 100), torch.nn.ReLU(), torch.nn.Linear(100, 100), torch.nn.ReLU(),
                              torch.nn.Linear(100, 2), torch.nn.ReLU(), torch.nn.Linear(2, 2))
    if draws["init"] == "infodyn":
        infodyn_init(net, seed)
    opt = torch.optim.SGD(net.parameters(), lr=0.05)
    xt = torch.tensor(x)
    yt = torch.tensor(direction)
    batches = InfodynRng(derive(derive(seed, "batches"), "phase0")) if draws["order"] == "infodyn" else None
    for _ in range(epochs):
        perm = train[batches.permutation(len(train))] if batches else train[rng.permutation(len(train))]
        for b in range(0, len(perm), 32):
            idx = torch.tensor(perm[b:b + 32])
            opt.zero_grad()
            torch.nn.functional.cross_entropy(net(xt[idx]), yt[idx]).backward()
            opt.step()
    with torch.no_grad():
        hidden3 = net[:6](xt).double().numpy()
        accuracy = (net(xt[held]).argmax(1) == yt[held]).double().mean().item()
    if draws["order"] == "infodyn":
        fit = train[InfodynRng(derive(seed, "probe-fit")).permutation(len(train))[:2000]]
    else:
        fit = rng.choice(train, 2000, replace=False)
    out = {"accuracy": accuracy}
    for name, y in (("direction", direction), ("color", color)):
        out[name + "_linear"] = usable_information(hidden3[fit], y[fit], hidden3[held], y[held], 2, 1e-4)
    out["color_mlp"] = float(np.mean([mlp_torch(hidden3[fit], color[fit], hidden3[held], color[held], 2, 64, 300, 0.01, 1e-4, s)
                                      for s in range(mlp_seeds)]))
    return out


def draws(text):
    parts = {"data": "numpy", "init": "numpy", "order": "numpy"}
    if text in ("numpy", "infodyn"):
        return {k: text for k in parts}
    for item in text.split(","):
        key, _, value = item.partition("=")
        if key not in parts or value not in ("numpy", "torch", "infodyn"):
            raise argparse.ArgumentTypeError(f"'{item}': use numpy, infodyn or data=…,init=…,order=… with numpy|torch|infodyn")
        parts[key] = "numpy" if value == "torch" else value
    return parts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=seeds, default=seeds("0..9"))
    ap.add_argument("--epochs", type=int, default=100)
    ap.add_argument("--mlp-seeds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--draws", type=draws, default=draws("numpy"), help="numpy | infodyn | data=…,init=…,order=…")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    rows = []
    print(f"{'seed':>4} {'accuracy':>8} {'direction lin':>13} {'colour lin':>10} {'colour mlp':>10}", flush=True)
    for seed in args.seeds:
        r = run(seed, args.epochs, args.mlp_seeds, args.draws)
        rows.append(r)
        print(f"{seed:>4} {r['accuracy']:>8.3f} {r['direction_linear']:>13.3f} {r['color_linear']:>10.3f} {r['color_mlp']:>10.3f}",
              flush=True)
    for key in ("accuracy", "direction_linear", "color_linear", "color_mlp"):
        v = np.array([r[key] for r in rows])
        print(f"{key}: mean {v.mean():.3f}, sd {v.std(ddof=1) if len(v) > 1 else 0:.3f}, n {len(v)}")


if __name__ == "__main__":
    main()
