// The rarlhf command line; see `rarlhf --help`.
print("rarlhf")
