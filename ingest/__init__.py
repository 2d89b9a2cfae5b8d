"""Turn a report (PDF, plain text or Markdown) into clean, heading-aware chunks."""
