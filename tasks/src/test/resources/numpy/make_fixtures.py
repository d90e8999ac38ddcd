"""Writes the NumPy fixtures the tabular task's tests read, with NumPy itself (not infodyn's reader).

Run from this folder: python3 make_fixtures.py. Deterministic: the arrays are formulas, not draws.
"""
import numpy as np

n = 40
i = np.arange(n)
x = np.stack([np.sin(i), np.cos(i), i / n], axis=1).astype("<f4")            # [40, 3] float32
y = (i % 2).astype("<i8")                                                     # 0/1 target
site = np.array(["north", "south", "east", "west"])[i % 4]                   # text labels ('<U5')
big = np.asfortranarray((np.arange(n * 2).reshape(n, 2) / 7.0).astype(">f8"))  # Fortran order, big-endian
flag = (i % 3 == 0)                                                           # bool feature
np.savez("table.npz", x=x, y=y, site=site, big=big, flag=flag)
np.savez_compressed("table-compressed.npz", x=x, y=y, site=site)
images = (np.arange(n * 2 * 4 * 4).reshape(n, 2, 4, 4) % 17).astype("|u1")  # uint8 "images"
np.savez("images.npz", pixels=images, label=y)
np.save("complex.npy", np.ones(n, dtype="<c8"))
np.save("objects.npy", np.array([{"a": 1}] * n, dtype=object), allow_pickle=True)
np.save("half.npy", np.array([1.5, -2.0, 65504.0, 6.1035e-05], dtype="<f2"))
