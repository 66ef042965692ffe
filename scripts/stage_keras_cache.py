"""Copy local copies of the data archive and the MobileNetV2 weights into the Keras cache.

With them in place, `keras.utils.get_file("cats_and_dogs.zip", ...)` and
`MobileNetV2(weights="imagenet")` find their files in the cache and never touch the network,
so the notebooks run unchanged on an offline machine. A file already in the cache is kept
as it is (nothing a reader has is overwritten). A source that is not given, or does not
exist, is skipped: the notebooks then download as usual.

Usage: python scripts/stage_keras_cache.py [KERAS_HOME] [--archive ZIP] [--weights H5] [--extract]
(KERAS_HOME: default $KERAS_HOME, else ~/.keras, as the posts use it.) --extract: also extract the
archive now, as the posts would on first use, and check that every photo decodes (`make test`
does, before its test processes start, so that they never extract it at the same time, and none of
them decodes the photos again: data.check_once).
"""

import argparse
import os
import shutil
import sys

from catsdogs import config
from catsdogs.errors import CatsDogsError


def stage(source, target):
    if not source:
        return
    if not os.path.isfile(source):
        print(f"stage: {source} not found, skipped (the notebooks will download instead)")
        return
    if os.path.exists(target):
        print(f"stage: {target} is already in the cache, kept")
        return
    os.makedirs(os.path.dirname(target), exist_ok=True)
    shutil.copyfile(source, target)
    print(f"stage: {source} -> {target}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("keras_home", nargs="?", help="the Keras cache folder (default: $KERAS_HOME, else ~/.keras)")
    parser.add_argument("--archive", help="a local cats_and_dogs.zip")
    parser.add_argument("--weights", help="a local MobileNetV2 1.0 no-top ImageNet weights file (.h5)")
    parser.add_argument("--extract", action="store_true", help="extract the archive in the cache now, and check that its photos decode")
    args = parser.parse_args()
    if args.keras_home:
        os.environ["KERAS_HOME"] = os.path.expanduser(args.keras_home)
    stage(args.archive, config.archive_path())
    stage(args.weights, config.weights_path())
    if args.extract:
        from catsdogs import data  # starts TensorFlow: only when asked

        try:
            folder = data.download_data()
            data.check_once(folder)  # decode every photo now, once, rather than in each test process
        except CatsDogsError as error:  # a damaged archive, a photo that cannot be decoded: what to do
            sys.exit(f"stage: {error}")
        print(f"stage: the photos are in {folder}; all of them can be decoded")


if __name__ == "__main__":
    main()
