// Sweeps: module placeholder file; real sources arrive beside it.
