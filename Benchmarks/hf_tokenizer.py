#!/usr/bin/env python3
"""Reference for rarlhf's tokenizer benchmark: Hugging Face `tokenizers`
GPT-2 byte-level BPE (encoder.json + vocab.bpe from the data directory) over
the IMDB reviews of aclImdb_labeled.tar.gz, prepared as rarlhf's IMDBLoader
does (each `<br />` replaced by one space), in the same
order as rarlhf's IMDBLoader (split, label, id), one thread
(TOKENIZERS_PARALLELISM=false makes encode_batch sequential).

Prints one JSON object: texts, bytes (UTF-8), tokens, seconds, MB/s.
Usage: python hf_tokenizer.py --data ../shared/data [--limit 50000]
"""
import argparse
import json
import os
import re
import tarfile
import time

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("RAYON_NUM_THREADS", "1")

from tokenizers import ByteLevelBPETokenizer  # noqa: E402

SPLITS = {"train": 0, "test": 1}
LABELS = {"neg": 0, "pos": 1}
MEMBER = re.compile(r"aclImdb/(train|test)/(pos|neg)/(\d+)_(\d+)\.txt$")


def reviews(archive):
    found = []
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar:
            match = MEMBER.search(member.name)
            if not match or not member.isfile():
                continue
            raw = tar.extractfile(member).read().replace(b"<br />", b" ")
            text = raw.decode("utf-8")
            split, label, ident = match.group(1), match.group(2), int(match.group(3))
            found.append(((SPLITS[split], LABELS[label], ident), text))
    found.sort(key=lambda item: item[0])
    return [text for _, text in found]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=os.environ.get("RARLHF_DATA", "../shared/data"))
    parser.add_argument("--limit", type=int, default=50000)
    args = parser.parse_args()
    gpt2 = os.path.join(args.data, "tokenizers", "gpt2")
    tokenizer = ByteLevelBPETokenizer(
        os.path.join(gpt2, "encoder.json"), os.path.join(gpt2, "vocab.bpe"))
    texts = reviews(os.path.join(args.data, "imdb", "aclImdb_labeled.tar.gz"))[: args.limit]
    size = sum(len(text.encode("utf-8")) for text in texts)

    start = time.perf_counter()
    tokens = sum(len(encoding.ids) for encoding in tokenizer.encode_batch(texts))
    seconds = time.perf_counter() - start
    print(json.dumps({
        "benchmark": "tokenize", "side": "hf-tokenizers", "texts": len(texts),
        "bytes": size, "tokens": tokens, "seconds": seconds,
        "mb_per_s": size / seconds / 1e6,
    }))


if __name__ == "__main__":
    main()
