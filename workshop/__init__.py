"""The workshop domain: rules, permissions and transactions. Screens call these; nothing else writes."""
