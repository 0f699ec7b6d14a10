#!/usr/bin/env python3
"""Writes the small checked-in seed files under fuzz/corpus/<reader>/ (a few KB in all).

Run from anywhere: python3 fuzz/make_corpus.py. The output is deterministic, so running it
again changes nothing unless this script changed. The shipped projects and, when present, the
shared data sets add further seeds at run time (scripts/fuzz.sh, scripts/test.sh).
"""
import gzip
import io
import json
import os
import struct
import zipfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def put(reader, name, data):
    folder = os.path.join(ROOT, reader)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def npy(descr, fortran, shape, payload, version=(1, 0)):
    header = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (
        descr, "True" if fortran else "False",
        "(%s)" % (", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "")))
    size_bytes = 2 if version[0] == 1 else 4
    prefix = 6 + 2 + size_bytes
    header += " " * ((64 - (prefix + len(header) + 1) % 64) % 64) + "\n"
    out = b"\x93NUMPY" + bytes(version)
    out += struct.pack("<H" if size_bytes == 2 else "<I", len(header))
    return out + header.encode("latin1") + payload


def idx(dims, payload):
    return b"\x00\x00\x08" + bytes([len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + payload


def gz(data):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as f:
        f.write(data)
    return buf.getvalue()


def events(items):
    out = b""
    for t, x, y, on in items:
        out += bytes([x, y, (0x80 if on else 0) | (t >> 16) & 0x7F, (t >> 8) & 0xFF, t & 0xFF])
    return out


def zipped(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()


def main():
    # .npy: the dtypes, orders and versions parseNpy reads.
    put("npy", "f4_c_2x3.npy", npy("<f4", False, (2, 3), struct.pack("<6f", *range(6))))
    put("npy", "f8_fortran_3x2_be.npy", npy(">f8", True, (3, 2), struct.pack(">6d", *range(6))))
    put("npy", "i2_fortran_3x2x2_be.npy", npy(">i2", True, (3, 2, 2), struct.pack(">12h", *range(12))))
    put("npy", "b1_4.npy", npy("|b1", False, (4,), b"\x00\x01\x01\x00"))
    put("npy", "u8_scalar_v2.npy", npy("<u8", False, (), struct.pack("<Q", 7), (2, 0)))
    put("npy", "i8_empty_v3.npy", npy("<i8", False, (0, 5), b"", (3, 0)))

    # IDX: images and labels, plain and gzip; two concatenated gzip members.
    images = idx((2, 3, 3), bytes(range(18)))
    put("idx", "images-2x3x3-idx3-ubyte", images)
    put("idx", "labels-4-idx1-ubyte", idx((4,), b"\x00\x07\x03\x09"))
    put("idx", "images-2x3x3-idx3-ubyte.gz", gz(images))
    put("idx", "two-members.gz", gz(images[:10]) + gz(images[10:]))

    # N-MNIST recordings: both polarities, the sensor's corners, equal and late times.
    rec = events([(0, 0, 0, True), (5, 33, 33, False), (5, 17, 2, True), (0x7FFFFF, 1, 30, False)])
    put("nmnist_bin", "four.bin", rec)
    put("nmnist_bin", "empty.bin", b"")

    # N-MNIST archives: Train.zip with and without the split folder, and an outer archive.
    short = events([(10, 3, 4, True), (20, 5, 6, False)])
    put("nmnist_zip", "train-folder.zip",
        zipped([("Train/0/2.bin", rec), ("Train/3/10.bin", short), ("Test/1/1.bin", short)]))
    put("nmnist_zip", "flat.zip", zipped([("0/00002.bin", short), ("9/1.bin", rec),
                                          ("__MACOSX/0/._2.bin", b"\x00")]))
    put("nmnist_zip", "outer.zip", zipped([("x/Train.zip", zipped([("Train/5/7.bin", short)])),
                                           ("x/readme.txt", b"hi")]))

    # Blocklists: NEST's float style, comments, blank lines.
    put("blocklist", "nest-style.txt", b"0.000000000000000000e+00\n1.155000000000000000e+03\n")
    put("blocklist", "comments.txt", b"# dead pixels\n3\n  17 # hot\n\n2311\r\n")

    # Model language (fuzz_lang): neuron models as GeNN writes them, split at backquotes into
    # sim code ` threshold condition ` reset code ` derived parameters (one "name = expression"
    # a line); the names are the harness's fixed ones.
    put("lang", "if.txt", b"V += Isyn;`V >= Vthr`V = 0;")
    put("lang", "lif.txt", b"""// leaky integrate-and-fire with a refractory period
if (RefracTime <= 0.0) {
    const scalar drive = Vrest + Rm * (Isyn + Ioffset);
    V = ExpTC * V + (1.0 - ExpTC) * drive;
}
else {
    RefracTime -= dt;
}
`RefracTime <= 0.0 && V >= Vthresh`V = Vreset;
RefracTime = TauRefrac;
`ExpTC = exp(-dt / TauM)
Rm = TauM / C
""")
    put("lang", "izhikevich.txt", b"""if (V >= 30.0) {
    V = c;
    U += d;
}
/* two half steps for stability */
V += 0.5 * (0.04 * V * V + 5.0 * V + 140.0 - U + Isyn) * dt;
V += 0.5 * (0.04 * V * V + 5.0 * V + 140.0 - U + Isyn) * dt;
U += a * (b * V - U) * dt;
`V >= 29.99f`""")
    put("lang", "noisy.txt", b"scalar n = gennrand_normal();\nV = fmax(V + 1e-3f * n, -80.0) * (Isyn > 0 ? 1 : .5);"
        b"\nif (!(V != V) || t == 0) U = pow(fabs(V), 0.5) + log1p(tanh(U)) - floor(sqrt(expm1(0.1)));"
        b"\nU /= fmin(cos(V), sin(t)) + gennrand_uniform();")
    put("lang", "threshold.txt", b"V >= Vthresh - Ioffset * 2.5e+1 && (RefracTime <= 0.0 || U < -1)")

    # Projects: a small network with every connectivity, inline and file weights, ExpCurr.
    project = {
        "format": "spikelab-project", "version": 2, "name": "fuzz-seed",
        "populations": [
            {"name": "in", "size": 2, "model": "SpikeSource", "position": [10, 20]},
            {"name": "a", "size": 3, "model": "LIF", "params": {"TauM": 10.0},
             "record": {"spikes": True, "variables": ["V"], "neurons": [0, 2]}},
            {"name": "b", "size": 3, "model": "IF", "params": {"Vthr": 1.0}},
        ],
        "projections": [
            {"name": "dense", "source": "in", "target": "a", "connectivity": {"type": "dense"},
             "weights": {"type": "npy", "file": "w.npy"},
             "postsynaptic": {"model": "ExpCurr", "params": {"tau": 5.0}}},
            {"name": "one", "source": "a", "target": "b", "connectivity": {"type": "one_to_one"},
             "weights": {"type": "inline", "values": [0.5, 0.25, 1.0]}, "delay_steps": 2},
            {"name": "prob", "source": "b", "target": "a",
             "connectivity": {"type": "fixed_probability", "probability": 0.5, "seed": 3},
             "weights": {"type": "normal", "mean": 0.1, "sd": 0.05, "seed": 4}},
            {"name": "sp", "source": "a", "target": "a",
             "connectivity": {"type": "sparse", "pre": [0, 1, 2], "post": [2, 0, 1]},
             "weights": {"type": "uniform", "low": -0.5, "high": 0.5, "seed": 5}},
        ],
        "inputs": [{"name": "ev", "type": "EventReplay", "target": "in"}],
        "experiment": {"dt": 1.0, "steps_per_sample": 10, "readout": "b",
                       "dataset": {"name": "nmnist", "split": "test", "path": ""}},
    }
    put("project", "small.json", (json.dumps(project, indent=1) + "\n").encode())


if __name__ == "__main__":
    main()
