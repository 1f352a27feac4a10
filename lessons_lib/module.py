"""The contract every layer follows (CS231n style): ``forward`` returns ``(output, cache)``,
``backward(dout, cache)`` returns the gradient with respect to the input and *adds* the gradients of
the layer's parameters into their ``Parameter.grad``.
"""

from __future__ import annotations

import numpy as np

from .parameter import Parameter


class Module:
    """Base class: parameters, train/eval mode, and state save/restore."""

    training: bool = True

    def parameters(self) -> list[Parameter]:
        """Every trainable parameter, in a fixed order (optimizers rely on it)."""
        params: list[Parameter] = []
        for value in vars(self).values():
            if isinstance(value, Parameter):
                params.append(value)
            elif isinstance(value, Module):
                params.extend(value.parameters())
            elif isinstance(value, (list, tuple)):
                for item in value:
                    if isinstance(item, Module):
                        params.extend(item.parameters())
                    elif isinstance(item, Parameter):
                        params.append(item)
        return params

    def buffers(self) -> dict[str, np.ndarray]:
        """Non-trainable state that must be saved with the model (e.g. batch-norm running statistics)."""
        out: dict[str, np.ndarray] = {}
        for key, value in vars(self).items():
            if isinstance(value, Module):
                out.update({f"{key}.{k}": v for k, v in value.buffers().items()})
            elif isinstance(value, (list, tuple)):
                for i, item in enumerate(value):
                    if isinstance(item, Module):
                        out.update({f"{key}.{i}.{k}": v for k, v in item.buffers().items()})
        return out

    def forward(self, x: np.ndarray):
        raise NotImplementedError

    def backward(self, dout: np.ndarray, cache):
        raise NotImplementedError

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.forward(x)[0]

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.zero_grad()

    def train(self, mode: bool = True) -> Module:
        """Switch this module and every sub-module to training (``True``) or evaluation mode."""
        self.training = bool(mode)
        for value in vars(self).values():
            children = value if isinstance(value, (list, tuple)) else [value]
            for child in children:
                if isinstance(child, Module):
                    child.train(mode)
        return self

    def eval(self) -> Module:
        return self.train(False)

    def state_dict(self) -> dict[str, np.ndarray]:
        """Copies of all parameter values and buffers, for :meth:`load_state_dict`."""
        state = {f"param.{i}": p.value.copy() for i, p in enumerate(self.parameters())}
        state.update({f"buffer.{k}": np.array(v, copy=True) for k, v in self.buffers().items()})
        return state

    def load_state_dict(self, state: dict[str, np.ndarray]) -> None:
        for i, p in enumerate(self.parameters()):
            p.value[...] = state[f"param.{i}"]
        for k, v in self.buffers().items():
            v[...] = state[f"buffer.{k}"]
