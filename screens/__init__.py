"""Textual screens and widgets. Screens call workshop/ services and show results or errors."""
