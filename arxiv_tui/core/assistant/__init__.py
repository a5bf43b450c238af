"""The optional assistant through the user's own model: prompts.py what is sent,
answers.py what is kept, assistant.py the asking; the wire is core/sources/model_client.py."""
