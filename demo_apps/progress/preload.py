from tkelectron.renderer import context_bridge, ipc_renderer

context_bridge.expose_in_main_world(
    "job",
    {"count_primes": lambda limit: ipc_renderer.stream("job:count-primes", limit)},
)
