#!/usr/bin/env python3
"""Reference for rarlhf's engine benchmark: the same GPT-2 training step and
batched sampling in PyTorch (Hugging Face transformers' GPT2LMHeadModel).

Model: vocabulary 8,192, 128 positions, d_model 128, 4 layers, 4 heads,
random weights. Step: batch 32 x 64 tokens, next-token cross-entropy, AdamW
(lr 1e-4), forward + backward + update. Sampling: 64 prompts of 64 tokens,
48 new tokens, top-k 0, top-p 1, with the KV cache.

Prints one JSON object: median seconds per step, sampled tokens per second,
peak resident memory. Usage: python pytorch_train_step.py --threads 1
"""
import argparse
import json
import resource
import statistics
import time

import torch
from transformers import GPT2Config, GPT2LMHeadModel


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    config = GPT2Config(
        vocab_size=8192, n_positions=128, n_embd=128, n_layer=4, n_head=4)
    model = GPT2LMHeadModel(config)
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
    tokens = torch.randint(0, 8192, (32, 64))

    times = []
    for step in range(args.warmup + args.steps):
        start = time.perf_counter()
        loss = model(tokens, labels=tokens).loss
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        elapsed = time.perf_counter() - start
        if step >= args.warmup:
            times.append(elapsed)

    model.eval()
    prompts = torch.randint(0, 8192, (64, 64))
    sample_times = []
    with torch.no_grad():
        for run in range(3):
            start = time.perf_counter()
            model.generate(
                prompts, attention_mask=torch.ones_like(prompts), do_sample=True,
                top_k=0, top_p=1.0, max_new_tokens=48, min_length=-1,
                pad_token_id=0)
            elapsed = time.perf_counter() - start
            if run > 0:
                sample_times.append(elapsed)

    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({
        "threads": args.threads,
        "train_step_s": statistics.median(times),
        "sample_s": statistics.median(sample_times),
        "sample_tokens_per_s": 64 * 48 / statistics.median(sample_times),
        "peak_rss_mib": peak_kib / 1024,
    }))


if __name__ == "__main__":
    main()
