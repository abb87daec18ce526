"""The strict base model every event payload and envelope builds on."""

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    """Immutable, and unknown fields are an error: an event is a contract, not a bag of keys."""

    model_config = ConfigDict(extra="forbid", frozen=True)
