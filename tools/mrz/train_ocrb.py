#!/usr/bin/python3
"""Trains the OCR-B line recognizer the MRZ pass reads rows with (models/mrz/ocrb-rec.onnx).

Everything it learns from is rendered here: random MRZ-like lines set in OCR-B (Debian's
fonts-ocr-b) through cairo, on plain, textured and guilloche backgrounds, then blurred,
rescaled, turned, sheared, lit unevenly, compressed and noised. No document from
../shared is read: ../shared/data/mrz and the C++ specimen generator
(tests/support/mrz_specimen.cc, a separate renderer) are only used to measure it.

The model is a small all-convolutional CTC recognizer: its receptive field is a few
characters, so it learns glyphs, not the language of names (an MRZ is not a language).
Input: gray line image, height 32, any width, values (pixel / 255 - 0.5) / 0.5. Output:
(N, T, 39) class probabilities, T = width / 4; class 0 is the CTC blank, 1..37 the MRZ
alphabet below, 38 a space (never trained, as in PP-OCR's dictionaries, which
src/ppocr's Charset appends).

Needs Debian's python3-torch, python3-onnx, python3-cairo, python3-opencv, fonts-ocr-b.
  /usr/bin/python3 tools/mrz/train_ocrb.py --out models/mrz/ocrb-rec.onnx
Deterministic for a given --seed on one machine (torch's CPU kernels may differ between
builds in the last bits); about 40 min on 2 cores (5 epochs of 40,000 lines).
"""
import argparse
import math
import multiprocessing
import random
import sys
import time

import cairo
import cv2
import numpy as np
import torch
from torch import nn

ALPHABET = "<0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
NUM_CLASSES = len(ALPHABET) + 2  # blank, alphabet, space
HEIGHT = 32
STRIDE = 4  # input columns per output time step
FONT = "OCR B"


# ---------------------------------------------------------------------------------------
# Text: what MRZ rows hold (names, numbers, dates, codes, runs of fillers), cut at random.

def random_segment(rng):
    kind = rng.random()
    if kind < 0.35:
        return "".join(rng.choice(ALPHABET[11:]) for _ in range(rng.randint(2, 12)))
    if kind < 0.6:
        return "".join(rng.choice(ALPHABET[1:11]) for _ in range(rng.randint(1, 10)))
    if kind < 0.85:
        return "<" * rng.choice([1, 1, 2, 2, 3, 4, 5, 7, 9, 12, 15, 20])
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 8)))


def random_text(rng):
    """A row or part of one: 1 to 44 characters."""
    target = rng.choice([rng.randint(1, 6), rng.randint(8, 24), rng.randint(8, 24),
                         rng.randint(24, 44)])
    text = ""
    while len(text) < target:
        text += random_segment(rng)
    return text[:target]


# ---------------------------------------------------------------------------------------
# Rendering

def background(rng, width, height):
    level = rng.uniform(150, 255)
    img = np.full((height, width), level, np.float32)
    if rng.random() < 0.5:  # a light gradient across the strip
        gx = np.linspace(0, 1, width, dtype=np.float32)[None, :]
        gy = np.linspace(0, 1, height, dtype=np.float32)[:, None]
        img -= rng.uniform(0, 50) * (rng.random() * gx + rng.random() * gy)
    if rng.random() < 0.5:  # guilloche: fine sinusoids, as on passports and cards
        ys = np.arange(height, dtype=np.float32)[:, None]
        xs = np.arange(width, dtype=np.float32)[None, :]
        for _ in range(rng.randint(1, 4)):
            period = rng.uniform(8, 60)
            amp = rng.uniform(2, 20)
            phase = rng.uniform(0, 6.3)
            spacing = rng.uniform(4, 14)
            wave = (ys + amp * np.sin(xs / period + phase)) % spacing
            img -= rng.uniform(10, 60) * (wave < rng.uniform(0.6, 1.6))
    if rng.random() < 0.3:  # paper texture
        tex = cv2.GaussianBlur(np.random.default_rng(rng.randint(0, 2**31)).normal(
            0, 1, (height, width)).astype(np.float32), (0, 0), rng.uniform(0.5, 2))
        img += tex * rng.uniform(5, 25)
    return img


def render_line(rng, text):
    """The line as a float image (ink dark) with its crop, before degradation."""
    cap = rng.uniform(14, 48)  # cap height in pixels at rendering
    size = cap / 0.7  # OCR-B's cap height is about 0.7 em
    pitch_scale = rng.uniform(0.93, 1.12)
    probe = cairo.Context(cairo.ImageSurface(cairo.FORMAT_A8, 1, 1))
    probe.select_font_face(FONT)
    probe.set_font_size(size)
    advance = probe.text_extents("M").x_advance * pitch_scale
    pad_left = rng.uniform(0.0, 1.8) * advance
    pad_right = rng.uniform(0.0, 1.8) * advance
    pad_top = rng.uniform(0.0, 0.6) * cap
    pad_bottom = rng.uniform(0.0, 0.6) * cap
    line_gap = rng.uniform(1.6, 2.4) * cap  # to the rows above and below
    width = int(math.ceil(pad_left + advance * len(text) + pad_right)) + 1
    height = int(math.ceil(pad_top + cap + pad_bottom)) + 1
    margin = int(line_gap + cap)  # rendered larger, neighbours included, then cut
    surface = cairo.ImageSurface(cairo.FORMAT_A8, width + 2 * margin, height + 2 * margin)
    ctx = cairo.Context(surface)
    ctx.select_font_face(FONT)
    ctx.set_font_size(size)
    base = margin + pad_top + cap
    weight = rng.uniform(-0.04, 0.06) * size  # thinner or bolder strokes
    for row_base, row_text in ((base, text), (base - line_gap, random_text(rng)),
                               (base + line_gap, random_text(rng))):
        if row_text is not text and rng.random() < 0.4:
            continue
        x = margin + pad_left + rng.uniform(-0.5, 0.5) * advance * (row_text is not text)
        for ch in row_text:
            jitter = rng.gauss(0, 0.02) * advance
            ctx.move_to(x + jitter, row_base + rng.gauss(0, 0.01) * cap)
            ctx.text_path(ch)
            x += advance
        if weight > 0:
            ctx.set_line_width(weight)
            ctx.fill_preserve()
            ctx.stroke()
        else:
            ctx.fill()
    ink = np.ndarray((surface.get_height(), surface.get_stride()), np.uint8,
                     surface.get_data())[:, :surface.get_width()].astype(np.float32) / 255.0
    if weight < 0:
        k = max(1, int(round(-weight)))
        ink = cv2.erode(ink, np.ones((k, k), np.uint8))
    bg = background(rng, ink.shape[1], ink.shape[0])
    level = rng.uniform(0, 90)
    img = bg * (1 - ink) + level * ink
    return img, (margin, margin, width, height), cap


def degrade(rng, img, crop, cap):
    x, y, w, h = crop
    if rng.random() < 0.5:  # turn and shear a little around the crop's centre
        angle = rng.gauss(0, 0.8)
        shear = rng.gauss(0, 0.06)
        centre = (x + w / 2, y + h / 2)
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        m[0, 1] += shear
        m[0, 2] -= shear * centre[1]
        img = cv2.warpAffine(img, m, (img.shape[1], img.shape[0]), flags=cv2.INTER_LINEAR,
                             borderMode=cv2.BORDER_REPLICATE)
    if rng.random() < 0.6:
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.2, 0.12 * cap))
    if rng.random() < 0.2:  # motion blur
        k = max(3, int(rng.uniform(0.05, 0.2) * cap) | 1)
        kernel = np.zeros((k, k), np.float32)
        kernel[k // 2, :] = 1.0 / k
        m = cv2.getRotationMatrix2D((k / 2 - 0.5, k / 2 - 0.5), rng.uniform(0, 180), 1)
        kernel = cv2.warpAffine(kernel, m, (k, k))
        img = cv2.filter2D(img, -1, kernel / max(kernel.sum(), 1e-6))
    img = img[y:y + h, x:x + w]
    if rng.random() < 0.4:  # a low resolution capture: cap height down to 7 px
        small_cap = rng.uniform(7, 16)
        if small_cap < cap:
            f = small_cap / cap
            img = cv2.resize(img, (max(4, int(w * f)), max(4, int(h * f))),
                             interpolation=cv2.INTER_AREA)
    if rng.random() < 0.5:  # uneven light
        gx = np.linspace(0, 1, img.shape[1], dtype=np.float32)[None, :]
        light = 1 - rng.uniform(0, 0.5) * (gx if rng.random() < 0.5 else 1 - gx)
        img = img * light + rng.uniform(-20, 20)
    if rng.random() < 0.5:
        img = img + np.random.default_rng(rng.randint(0, 2**31)).normal(
            0, rng.uniform(2, 18), img.shape).astype(np.float32)
    img = np.clip(img, 0, 255).astype(np.uint8)
    if rng.random() < 0.5:
        ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, rng.randint(15, 90)])
        img = cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)
    return img


def to_input(gray):
    """What the C++ reader does (src/mrz/ocrb_reader.cc): height 32, width kept in
    proportion (a multiple of 4, at least 8), scaled to [-1, 1]."""
    h, w = gray.shape
    new_w = max(8, int(round(w * HEIGHT / h / STRIDE)) * STRIDE)
    interp = cv2.INTER_AREA if h > HEIGHT else cv2.INTER_CUBIC
    img = cv2.resize(gray, (new_w, HEIGHT), interpolation=interp).astype(np.float32)
    return (img / 255.0 - 0.5) / 0.5


def make_sample(seed):
    rng = random.Random(seed)
    text = random_text(rng)
    img, crop, cap = render_line(rng, text)
    return to_input(degrade(rng, img, crop, cap)), text


def make_set(count, seed, workers):
    with multiprocessing.Pool(workers) as pool:
        return pool.map(make_sample, range(seed, seed + count), chunksize=256)


# ---------------------------------------------------------------------------------------
# Model

def conv(cin, cout, kernel=3, padding=1):
    return [nn.Conv2d(cin, cout, kernel, padding=padding, bias=False), nn.BatchNorm2d(cout),
            nn.ReLU(inplace=True)]


class OcrbNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            *conv(1, 16), nn.MaxPool2d(2, 2),            # 16 x W/2
            *conv(16, 32), nn.MaxPool2d(2, 2),           # 8 x W/4
            *conv(32, 48), *conv(48, 64), nn.MaxPool2d((2, 1), (2, 1)),  # 4
            *conv(64, 96), nn.MaxPool2d((2, 1), (2, 1)),  # 2
            *conv(96, 96, kernel=(2, 3), padding=(0, 1)))  # 1 x W/4
        self.sequence = nn.Sequential(
            nn.Conv1d(96, 128, 5, padding=2), nn.ReLU(inplace=True), nn.Dropout(0.1),
            nn.Conv1d(128, NUM_CLASSES, 1))

    def forward(self, x):  # (N, 1, 32, W) -> (N, NUM_CLASSES, W/4) logits
        return self.sequence(self.features(x).squeeze(2))


class Exported(nn.Module):
    """What the C++ side runs: (N, T, C) probabilities."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return torch.softmax(self.net(x), dim=1).permute(0, 2, 1)


def batches(samples, batch_size, rng):
    order = sorted(range(len(samples)), key=lambda i: samples[i][0].shape[1])
    groups = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
    rng.shuffle(groups)
    for group in groups:
        width = max(samples[i][0].shape[1] for i in group)
        x = np.ones((len(group), 1, HEIGHT, width), np.float32)
        targets, lengths, widths = [], [], []
        for k, i in enumerate(group):
            img, text = samples[i]
            x[k, 0, :, :img.shape[1]] = img
            # the padding is white paper: the edge column's background, not pure white
            x[k, 0, :, img.shape[1]:] = np.median(img[:, -2:])
            targets += [ALPHABET.index(c) + 1 for c in text]
            lengths.append(len(text))
            widths.append(width // STRIDE)
        yield (torch.from_numpy(x), torch.tensor(targets), torch.tensor(lengths),
               torch.tensor(widths))


def greedy(scores):
    """Greedy CTC decoding of one line's (C, T) scores."""
    best = scores.argmax(0)
    out, prev = [], 0
    for c in best.tolist():
        if c != prev and 0 < c <= len(ALPHABET):
            out.append(ALPHABET[c - 1])
        prev = c
    return "".join(out)


def evaluate(net, samples):
    net.eval()
    exact = chars = errors = 0
    with torch.no_grad():
        for img, text in samples:
            logits = net(torch.from_numpy(img)[None, None])[0]
            got = greedy(logits)
            exact += got == text
            chars += len(text)
            errors += edit_distance(got, text)
    net.train()
    return exact / len(samples), errors / max(chars, 1)


def edit_distance(a, b):
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--train", type=int, default=40000, help="training lines")
    parser.add_argument("--valid", type=int, default=2000, help="held-out lines")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch", type=int, default=48)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    started = time.time()
    train = make_set(args.train, args.seed * 10_000_000, args.threads)
    valid = make_set(args.valid, args.seed * 10_000_000 + args.train, args.threads)
    print(f"rendered {len(train)} + {len(valid)} lines in {time.time() - started:.0f} s",
          flush=True)

    net = OcrbNet()
    steps = args.epochs * math.ceil(len(train) / args.batch)
    opt = torch.optim.AdamW(net.parameters(), lr=3e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps,
                                                pct_start=0.15)
    ctc = nn.CTCLoss(blank=0, zero_infinity=True)
    rng = random.Random(args.seed)
    for epoch in range(args.epochs):
        total, count = 0.0, 0
        for x, targets, lengths, widths in batches(train, args.batch, rng):
            logits = net(x)  # (N, C, T)
            log_probs = logits.permute(2, 0, 1).log_softmax(2)
            loss = ctc(log_probs, targets, widths, lengths)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            sched.step()
            total += loss.item()
            count += 1
        exact, cer = evaluate(net, valid)
        print(f"epoch {epoch + 1}: loss {total / count:.4f}  held-out exact {exact:.4f} "
              f"CER {cer:.4f}  ({time.time() - started:.0f} s)", flush=True)

    net.eval()
    torch.save(net.state_dict(), args.out + ".pt")  # to fine-tune from; not committed
    dummy = torch.zeros(1, 1, HEIGHT, 400)
    torch.onnx.export(Exported(net), dummy, args.out, input_names=["x"],
                      output_names=["probs"], opset_version=13,
                      dynamic_axes={"x": {0: "n", 3: "w"}, "probs": {0: "n", 1: "t"}})
    print(f"wrote {args.out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
