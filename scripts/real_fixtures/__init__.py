"""Dev-only: tiny real-architecture models and diffusers reference outputs for tests/fixtures/hub-real/."""
