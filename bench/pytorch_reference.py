#!/usr/bin/env python3
"""Plain PyTorch reference for infodyn's benchmark harness (bench/run.sh).

Times the checkerboard example network (227 -> 100 -> 100 -> 2 -> 2, ReLU, plain SGD, mean
softmax cross-entropy) in eager mode on one intra-op thread, the way a researcher would write it,
and optionally the whole default example workload: 30 epochs over 9,000 samples at batch 32 with
46 probe points x 3 layers x 3 variables, each a multinomial logistic regression (standardised
activations, L2 1e-4, 2,000 fit samples, 1,000 scored) fitted with torch.optim.LBFGS.

With --model cnn-small or resnet18-cifar it times those networks instead, built exactly as
infodyn's model factories build them (conv biases, batch norm in training mode, projection
shortcuts), on random inputs of the given shape: images per second of SGD training.

Uses Debian's python3-torch. Prints one JSON object on stdout.
"""
import argparse
import json
import math
import statistics
import time

import torch

torch.set_num_threads(1)
torch.manual_seed(0)


def make_net():
    return torch.nn.Sequential(
        torch.nn.Linear(227, 100), torch.nn.ReLU(),
        torch.nn.Linear(100, 100), torch.nn.ReLU(),
        torch.nn.Linear(100, 2), torch.nn.ReLU(),
        torch.nn.Linear(2, 2))


def make_cnn_small(in_shape, classes, channels=(32, 64), dense=128):
    """infodyn's cnn-small: [conv 3x3 pad 1 -> ReLU -> max-pool 2] per block, dense -> ReLU, output."""
    layers, c, h, w = [], in_shape[0], in_shape[1], in_shape[2]
    for out in channels:
        layers += [torch.nn.Conv2d(c, out, 3, 1, 1), torch.nn.ReLU(), torch.nn.MaxPool2d(2, 2)]
        c, h, w = out, h // 2, w // 2
    layers += [torch.nn.Flatten(), torch.nn.Linear(c * h * w, dense), torch.nn.ReLU(), torch.nn.Linear(dense, classes)]
    return torch.nn.Sequential(*layers)


class Block(torch.nn.Module):
    """infodyn's residual block: conv-bn-relu-conv-bn plus a (projection) shortcut, then ReLU."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.body = torch.nn.Sequential(torch.nn.Conv2d(cin, cout, 3, stride, 1), torch.nn.BatchNorm2d(cout), torch.nn.ReLU(),
                                        torch.nn.Conv2d(cout, cout, 3, 1, 1), torch.nn.BatchNorm2d(cout))
        self.short = (torch.nn.Sequential(torch.nn.Conv2d(cin, cout, 1, stride, 0), torch.nn.BatchNorm2d(cout))
                      if stride != 1 or cin != cout else torch.nn.Identity())

    def forward(self, x):
        return torch.relu(self.body(x) + self.short(x))


def make_resnet18_cifar(in_shape, classes, width=64):
    """infodyn's resnet18-cifar: 3x3 stem, four stages of two blocks (stride 2 from stage 2), GAP, dense."""
    layers = [torch.nn.Conv2d(in_shape[0], width, 3, 1, 1), torch.nn.BatchNorm2d(width), torch.nn.ReLU()]
    cin = width
    for stage in range(4):
        out = width << stage
        for j in range(2):
            layers.append(Block(cin, out, 2 if stage > 0 and j == 0 else 1))
            cin = out
    layers += [torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(), torch.nn.Linear(cin, classes)]
    return torch.nn.Sequential(*layers)


def warm_up(step, max_steps, seconds=3.0):
    """Steps until warm: at least 5, then until `seconds` have passed or `max_steps` are done."""
    t0, i = time.perf_counter(), 0
    while i < 5 or (i < max_steps and time.perf_counter() - t0 < seconds):
        step(i)
        i += 1
    return i


def checkerboard(n, gen):
    reds = torch.tensor([11, 45, 67, 78, 90, 101, 108, 117, 124, 135, 147, 158, 180, 214])
    r = reds[torch.randint(0, 14, (n,), generator=gen)]
    cfg = torch.randint(0, 2, (n,), generator=gen)
    color = (r * 2 < 225).long()
    board = -torch.ones(n, 225)
    scores = torch.rand(n, 225, generator=gen)
    order = scores.argsort(dim=1)
    rank = order.argsort(dim=1)
    board[rank < r.unsqueeze(1)] = 1.0
    left = torch.where(cfg == 0, -1.0, 1.0)
    x = torch.cat([board, left.unsqueeze(1), -left.unsqueeze(1)], dim=1)
    return x, color ^ cfg, color, cfg


def time_steps(batch, steps, repeats, model="mlp", in_shape=(227,), classes=2, width=64):
    if model == "cnn-small":
        net = make_cnn_small(in_shape, classes)
    elif model == "resnet18-cifar":
        net = make_resnet18_cifar(in_shape, classes, width)
    else:
        net = make_net()
    opt = torch.optim.SGD(net.parameters(), lr=0.05)
    loss_fn = torch.nn.CrossEntropyLoss()
    pool = [(torch.randn(batch, *in_shape).sign() if model == "mlp" else torch.randn(batch, *in_shape),
             torch.randint(0, classes, (batch,))) for _ in range(8)]

    def step(i):
        x, y = pool[i % 8]
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    warm = warm_up(step, max(200, steps // 2))
    us = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for i in range(steps):
            step(i)
        us.append((time.perf_counter() - t0) / steps * 1e6)
    med = statistics.median(us)
    return {"median_us": med, "min_us": min(us), "max_us": max(us), "images_per_s": batch / (med * 1e-6), "warmup_steps": warm}


def usable_bits(z_fit, y_fit, z_eval, y_eval, k=2, l2=1e-4):
    mean = z_fit.mean(0)
    sd = z_fit.std(0, unbiased=False)
    keep = sd > 1e-8
    zf = torch.where(keep, (z_fit - mean) / torch.where(keep, sd, torch.ones_like(sd)), torch.zeros_like(z_fit)).double()
    ze = torch.where(keep, (z_eval - mean) / torch.where(keep, sd, torch.ones_like(sd)), torch.zeros_like(z_eval)).double()
    w = torch.zeros(zf.shape[1], k, dtype=torch.float64, requires_grad=True)
    b = torch.zeros(k, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([w, b], lr=1, max_iter=500, tolerance_grad=1e-6, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(zf @ w + b, y_fit) + 0.5 * l2 * (w * w).sum()
        loss.backward()
        return loss

    opt.step(closure)
    counts = torch.bincount(y_fit, minlength=k).double() + 1
    p = counts / counts.sum()
    ce_null = -torch.log2(p[y_eval]).mean().item()
    with torch.no_grad():
        ce_dec = torch.nn.functional.cross_entropy(ze @ w + b, y_eval).item() / math.log(2)
    return ce_null - ce_dec


def workload():
    gen = torch.Generator().manual_seed(0)
    x, direction, color, cfg = checkerboard(10000, gen)
    perm = torch.randperm(10000, generator=gen)
    probe_idx, train_idx = perm[:1000], perm[1000:]
    fit_idx = train_idx[torch.randperm(9000, generator=gen)[:2000]]
    net = make_net()
    opt = torch.optim.SGD(net.parameters(), lr=0.05)
    loss_fn = torch.nn.CrossEntropyLoss()
    spe = math.ceil(9000 / 32)
    total = 30 * spe
    points = {0, 10, 30, 100}
    points |= {round(e * 0.25 * spe) for e in range(1, 17)}
    points |= {e * spe for e in range(5, 31)}
    variables = [direction, color, cfg]
    t0 = time.perf_counter()
    probe_s = 0.0
    step = 0

    def probe():
        nonlocal probe_s
        t = time.perf_counter()
        with torch.no_grad():
            rows = torch.cat([fit_idx, probe_idx])
            h, reps = x[rows], []
            for i, layer in enumerate(net):
                h = layer(h)
                if isinstance(layer, torch.nn.ReLU):
                    reps.append(h)
        for z in reps:
            for v in variables:
                usable_bits(z[:2000], v[fit_idx], z[2000:], v[probe_idx])
        probe_s += time.perf_counter() - t

    probe()
    for epoch in range(30):
        order = train_idx[torch.randperm(9000, generator=gen)]
        for i in range(spe):
            idx = order[i * 32:(i + 1) * 32]
            opt.zero_grad()
            loss = loss_fn(net(x[idx]), direction[idx])
            loss.backward()
            opt.step()
            loss.item()
            step += 1
            if step in points:
                probe()
    return {"workload_s": time.perf_counter() - t0, "probe_s": probe_s, "probe_points": len(points), "total_steps": total}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batches", default="32,1024")
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--workload", action="store_true", help="also time the whole default example workload")
    ap.add_argument("--model", default="mlp", choices=["mlp", "cnn-small", "resnet18-cifar"])
    ap.add_argument("--input", default=None, help="input shape C,H,W for the image models (default 1,28,28 / 3,32,32)")
    ap.add_argument("--classes", type=int, default=2)
    ap.add_argument("--width", type=int, default=64, help="resnet18-cifar base width")
    a = ap.parse_args()
    shape = (227,) if a.model == "mlp" else tuple(int(v) for v in (a.input or ("1,28,28" if a.model == "cnn-small" else "3,32,32")).split(","))
    out = {"tool": "pytorch-eager", "torch": torch.__version__, "threads": torch.get_num_threads(), "model": a.model,
           "input": list(shape), "step": {}}
    for b in [int(s) for s in a.batches.split(",")]:
        out["step"][str(b)] = time_steps(b, a.steps, a.repeats, a.model, shape, a.classes, a.width)
    if a.workload:
        out.update(workload())
    print(json.dumps(out))


if __name__ == "__main__":
    main()
