#!/usr/bin/python3
"""Plain-PyTorch GPT-2 forward and backward, the reference for rarlhf's Swift
model (Tests/ModelsTests/ReferenceCrossCheckTests.swift runs it).

Usage: gpt2_reference.py DIR HEADS

Reads DIR/weights.safetensors (Hugging Face GPT-2 names, `transformer.`
prefix, TRL's `v_head.summary.*`) and DIR/inputs.safetensors:
  tokens [B, T]            token ids stored as F32
  mask [B, T]              1 for real tokens, 0 for (left) padding
  loss_mask [B, T-1]       which next-token predictions count in the loss
  logprob_cotangent [B, T-1], value_cotangent [B, T],
  entropy_cotangent [B, T-1]
and writes DIR/reference.safetensors with logits [B, T, V], values [B, T],
logprobs [B, T-1], entropy [B, T-1], loss [] (masked mean next-token NLL),
objective [] and `grad.<name>` for every weight, the gradient of
  objective = loss + sum(logprob_cotangent * logprobs)
            + sum(value_cotangent * values) + sum(entropy_cotangent * entropy).

Conventions shared with the Swift model: positions are cumsum(mask) - 1
clamped at 0; query i attends to key j when j <= i and mask[j] = 1, and a
query with no such key gets attention output 0; GELU is the tanh approximation; layer-norm epsilon 1e-5; no dropout.
Everything is computed in float64. Only torch is needed: the safetensors
format is parsed here, not through the safetensors package.
"""

import json
import math
import struct
import sys

import torch

DTYPES = {"F32": (torch.float32, 4), "F64": (torch.float64, 8)}


def read_safetensors(path):
    with open(path, "rb") as handle:
        blob = handle.read()
    (length,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8 : 8 + length].decode("utf-8"))
    data = blob[8 + length :]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype, size = DTYPES[info["dtype"]]
        begin, end = info["data_offsets"]
        shape = info["shape"]
        count = math.prod(shape)
        if end - begin != count * size or end > len(data):
            raise ValueError(f"{path}: tensor {name} is truncated")
        flat = torch.frombuffer(bytearray(data[begin:end]), dtype=dtype)
        tensors[name] = flat.reshape(shape).to(torch.float64)
    return tensors


def write_safetensors(path, tensors):
    names = sorted(tensors)
    fields = {}
    offset = 0
    payload = []
    for name in names:
        values = tensors[name].detach().to(torch.float32).contiguous()
        raw = values.numpy().astype("<f4").tobytes()
        fields[name] = {
            "dtype": "F32",
            "shape": list(values.shape),
            "data_offsets": [offset, offset + len(raw)],
        }
        offset += len(raw)
        payload.append(raw)
    header = json.dumps(fields, separators=(",", ":")).encode("utf-8")
    header += b" " * ((8 - len(header) % 8) % 8)
    with open(path, "wb") as handle:
        handle.write(struct.pack("<Q", len(header)))
        handle.write(header)
        for raw in payload:
            handle.write(raw)


def layer_norm(x, weight, bias):
    mean = x.mean(dim=-1, keepdim=True)
    variance = ((x - mean) ** 2).mean(dim=-1, keepdim=True)
    return (x - mean) / torch.sqrt(variance + 1e-5) * weight + bias


def gelu(x):
    inner = math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)
    return 0.5 * x * (1.0 + torch.tanh(inner))


def forward(weights, tokens, mask, heads):
    batch, length = tokens.shape
    positions = (torch.cumsum(mask, dim=1) - 1).clamp(min=0).long()
    x = weights["transformer.wte.weight"][tokens]
    x = x + weights["transformer.wpe.weight"][positions]
    d = x.shape[-1]
    head_dim = d // heads
    causal = torch.tril(torch.ones(length, length, dtype=torch.bool))
    keys_real = mask.bool()[:, None, None, :]
    allowed = causal & keys_real
    any_key = allowed.any(dim=-1, keepdim=True)
    layer = 0
    while f"transformer.h.{layer}.ln_1.weight" in weights:
        p = lambda name: weights[f"transformer.h.{layer}.{name}"]
        h = layer_norm(x, p("ln_1.weight"), p("ln_1.bias"))
        qkv = h @ p("attn.c_attn.weight") + p("attn.c_attn.bias")
        q, k, v = qkv.split(d, dim=-1)
        split = lambda t: t.reshape(batch, length, heads, head_dim).transpose(1, 2)
        q, k, v = split(q), split(k), split(v)
        scores = q @ k.transpose(-1, -2) / math.sqrt(head_dim)
        # A padded query with no real key at or before it attends to
        # nothing: its row is zeroed (scores filled with 0 first so that
        # softmax and its gradient stay finite).
        scores = scores.masked_fill(~allowed, float("-inf"))
        scores = scores.masked_fill(~any_key, 0.0)
        probabilities = torch.softmax(scores, dim=-1) * any_key
        attention = probabilities @ v
        attention = attention.transpose(1, 2).reshape(batch, length, d)
        x = x + attention @ p("attn.c_proj.weight") + p("attn.c_proj.bias")
        h = layer_norm(x, p("ln_2.weight"), p("ln_2.bias"))
        h = gelu(h @ p("mlp.c_fc.weight") + p("mlp.c_fc.bias"))
        x = x + h @ p("mlp.c_proj.weight") + p("mlp.c_proj.bias")
        layer += 1
    hidden = layer_norm(
        x, weights["transformer.ln_f.weight"], weights["transformer.ln_f.bias"]
    )
    logits = hidden @ weights["transformer.wte.weight"].T
    values = (hidden @ weights["v_head.summary.weight"].T).squeeze(-1)
    values = values + weights["v_head.summary.bias"]
    return logits, values


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gpt2_reference.py DIR HEADS")
    directory, heads = sys.argv[1], int(sys.argv[2])
    weights = read_safetensors(f"{directory}/weights.safetensors")
    for tensor in weights.values():
        tensor.requires_grad_(True)
    inputs = read_safetensors(f"{directory}/inputs.safetensors")
    tokens = inputs["tokens"].long()
    mask = inputs["mask"]

    logits, values = forward(weights, tokens, mask, heads)
    log_probs = torch.log_softmax(logits[:, :-1], dim=-1)
    logprobs = log_probs.gather(-1, tokens[:, 1:, None]).squeeze(-1)
    entropy = -(log_probs.exp() * log_probs).sum(dim=-1)
    loss_mask = inputs["loss_mask"]
    loss = -(logprobs * loss_mask).sum() / loss_mask.sum()
    objective = (
        loss
        + (inputs["logprob_cotangent"] * logprobs).sum()
        + (inputs["value_cotangent"] * values).sum()
        + (inputs["entropy_cotangent"] * entropy).sum()
    )
    objective.backward()

    results = {
        "logits": logits,
        "values": values,
        "logprobs": logprobs,
        "entropy": entropy,
        "loss": loss,
        "objective": objective,
    }
    for name, tensor in weights.items():
        results[f"grad.{name}"] = tensor.grad
    write_safetensors(f"{directory}/reference.safetensors", results)


if __name__ == "__main__":
    main()
