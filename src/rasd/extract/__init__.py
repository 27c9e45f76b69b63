"""Document -> figures and events, one module per thing found; ``pipeline`` assembles them."""
