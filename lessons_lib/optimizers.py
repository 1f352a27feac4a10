"""Gradient-descent optimizers with PyTorch's formulas, names and defaults (syllabus 2.3.5).

Each ``_update`` method follows the pseudo-code in PyTorch's documentation of ``torch.optim``
one line of code per line of pseudo-code, for a single parameter array ``p`` with gradient ``g``.
State (moment estimates, the step counter ``t``) is kept *per parameter*, as PyTorch does, so that
``state_dict()`` / ``load_state_dict()`` can save and restore an optimizer mid-training.

Usage::

    opt = Adam(model.parameters(), lr=1e-3)
    model.zero_grad(); ...backward...; opt.step()
"""

from __future__ import annotations

import copy
import math

import numpy as np

from ._validation import check_choice, check_in_range, check_nonnegative, check_positive
from .parameter import Parameter

__all__ = ["Optimizer", "SGD", "RMSprop", "Adam", "AdamW", "Adamax", "NAdam", "OPTIMIZERS",
           "get_optimizer", "clip_grad_norm", "clip_grad_value"]


def _as_param_list(params) -> list[Parameter]:
    if hasattr(params, "parameters") and callable(params.parameters):
        params = params.parameters()
    try:
        params = list(params)
    except TypeError as exc:
        raise ValueError(f"params must be an iterable of Parameter, got {type(params).__name__}") from exc
    if not params:
        raise ValueError("params must contain at least one Parameter, got an empty list")
    for i, p in enumerate(params):
        if not isinstance(p, Parameter):
            raise ValueError(f"params[{i}] must be a Parameter, got {type(p).__name__}")
    return params


def _check_betas(betas) -> tuple[float, float]:
    try:
        b1, b2 = betas
    except (TypeError, ValueError) as exc:
        raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}") from exc
    return (check_in_range(b1, "betas[0]", 0.0, 1.0), check_in_range(b2, "betas[1]", 0.0, 1.0))


class Optimizer:
    """Base class: holds the parameter list, the hyperparameters and one state dict per parameter."""

    def __init__(self, params, lr: float):
        self.params = _as_param_list(params)
        self.lr = check_positive(lr, "lr")
        self.state: list[dict] = [{} for _ in self.params]

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad.fill(0.0)

    def step(self) -> None:
        """Update every parameter in place from its ``.grad``."""
        for p, state in zip(self.params, self.state):
            if not state:
                state["step"] = 0
                self._init_state(p, state)
            state["step"] += 1
            self._update(p.value, p.grad, state, state["step"])

    def _init_state(self, p: Parameter, state: dict) -> None:
        pass

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict, t: int) -> None:
        raise NotImplementedError

    def _hyperparameters(self) -> dict:
        return {k: v for k, v in vars(self).items() if k not in ("params", "state")}

    def state_dict(self) -> dict:
        """Deep copies of the hyperparameters and of every per-parameter state array."""
        return {"hyperparameters": copy.deepcopy(self._hyperparameters()),
                "state": copy.deepcopy(self.state)}

    def load_state_dict(self, state_dict: dict) -> None:
        if len(state_dict["state"]) != len(self.params):
            raise ValueError(f"state_dict holds state for {len(state_dict['state'])} parameters, "
                             f"this optimizer has {len(self.params)}")
        for k, v in state_dict["hyperparameters"].items():
            setattr(self, k, copy.deepcopy(v))
        self.state = copy.deepcopy(state_dict["state"])

    def __repr__(self) -> str:
        hp = ", ".join(f"{k}={v!r}" for k, v in self._hyperparameters().items())
        return f"{type(self).__name__}({hp})"


class SGD(Optimizer):
    """Stochastic gradient descent with optional (Nesterov) momentum, dampening and L2 weight decay.

    PyTorch's form: the velocity accumulates raw gradients, ``b = mu*b + (1-tau)*g``, and the learning
    rate multiplies it at the update, ``p -= lr*b``; the first step uses ``b = g`` (no dampening).
    """

    def __init__(self, params, lr: float, momentum: float = 0.0, dampening: float = 0.0,
                 weight_decay: float = 0.0, nesterov: bool = False):
        super().__init__(params, lr)
        self.momentum = check_nonnegative(momentum, "momentum")
        self.dampening = check_nonnegative(dampening, "dampening")
        self.weight_decay = check_nonnegative(weight_decay, "weight_decay")
        self.nesterov = bool(nesterov)
        if self.nesterov and (self.momentum <= 0 or self.dampening != 0):
            raise ValueError("nesterov=True needs momentum > 0 and dampening = 0 "
                             f"(got momentum={momentum!r}, dampening={dampening!r})")

    def _update(self, p, g, state, t):
        mu, tau, lam = self.momentum, self.dampening, self.weight_decay
        if lam != 0:
            g = g + lam * p                                   # g_t <- g_t + lambda*theta_{t-1}
        if mu != 0:
            if t > 1:
                b = state["momentum_buffer"]
                b *= mu                                       # b_t <- mu*b_{t-1} + (1-tau)*g_t
                b += (1 - tau) * g
            else:
                b = state["momentum_buffer"] = np.array(g, copy=True)   # b_1 <- g_1
            g = g + mu * b if self.nesterov else b            # nesterov: g_t <- g_t + mu*b_t, else b_t
        p -= self.lr * g                                      # theta_t <- theta_{t-1} - lr*g_t


class RMSprop(Optimizer):
    """RMSprop (Hinton's lecture 6e); ``centered`` divides by an estimate of the gradient's variance.

    ``eps`` is added *after* the square root, as in PyTorch.
    """

    def __init__(self, params, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0.0, momentum: float = 0.0, centered: bool = False):
        super().__init__(params, lr)
        self.alpha = check_in_range(alpha, "alpha", 0.0, 1.0)
        self.eps = check_positive(eps, "eps")
        self.weight_decay = check_nonnegative(weight_decay, "weight_decay")
        self.momentum = check_nonnegative(momentum, "momentum")
        self.centered = bool(centered)

    def _init_state(self, p, state):
        state["square_avg"] = np.zeros_like(p.value)
        if self.momentum > 0:
            state["momentum_buffer"] = np.zeros_like(p.value)
        if self.centered:
            state["grad_avg"] = np.zeros_like(p.value)

    def _update(self, p, g, state, t):
        a, lam, mu = self.alpha, self.weight_decay, self.momentum
        if lam != 0:
            g = g + lam * p                                   # g_t <- g_t + lambda*theta_{t-1}
        v = state["square_avg"]
        v *= a                                                # v_t <- alpha*v_{t-1} + (1-alpha)*g_t^2
        v += (1 - a) * g * g
        v_tilde = v                                           # v~_t <- v_t
        if self.centered:
            g_ave = state["grad_avg"]
            g_ave *= a                                        # g^ave_t <- alpha*g^ave_{t-1} + (1-alpha)*g_t
            g_ave += (1 - a) * g
            v_tilde = v - g_ave * g_ave                       # v~_t <- v~_t - (g^ave_t)^2
        denom = np.sqrt(v_tilde) + self.eps
        if mu > 0:
            b = state["momentum_buffer"]
            b *= mu                                           # b_t <- mu*b_{t-1} + g_t/(sqrt(v~_t) + eps)
            b += g / denom
            p -= self.lr * b                                  # theta_t <- theta_{t-1} - lr*b_t
        else:
            p -= self.lr * g / denom                          # theta_t <- theta_{t-1} - lr*g_t/(sqrt(v~_t)+eps)


class Adam(Optimizer):
    """Adam (Kingma & Ba), the syllabus's equations (2.1)-(2.6), with PyTorch's defaults.

    ``weight_decay`` is the *L2 penalty* form: ``lambda*p`` is added to the gradient before the moments
    (for the decoupled form use :class:`AdamW`). The bias-corrected update (2.6) is computed as PyTorch
    does, ``denom = sqrt(v_t)/sqrt(1-beta2^t) + eps``, which equals ``sqrt(v_hat) + eps``.
    """

    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0):
        super().__init__(params, lr)
        self.betas = _check_betas(betas)
        self.eps = check_positive(eps, "eps")
        self.weight_decay = check_nonnegative(weight_decay, "weight_decay")

    def _init_state(self, p, state):
        state["exp_avg"] = np.zeros_like(p.value)             # m_0 <- 0
        state["exp_avg_sq"] = np.zeros_like(p.value)          # v_0 <- 0

    def _decay(self, p, g):
        return g + self.weight_decay * p if self.weight_decay != 0 else g

    def _update(self, p, g, state, t):                        # (2.1) t <- t + 1 is done by step()
        b1, b2 = self.betas
        g = self._decay(p, g)                                 # g_t <- g_t + lambda*theta_{t-1}
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m *= b1                                               # (2.2) m_t <- b1*m_{t-1} + (1-b1)*g_t
        m += (1 - b1) * g
        v *= b2                                               # (2.3) v_t <- b2*v_{t-1} + (1-b2)*g_t^2
        v += (1 - b2) * (g * g)
        bias_correction1 = 1 - b1 ** t                        # (2.4) m_hat = m_t / (1-b1^t)
        bias_correction2 = 1 - b2 ** t                        # (2.5) v_hat = v_t / (1-b2^t)
        denom = np.sqrt(v)
        denom /= math.sqrt(bias_correction2)
        denom += self.eps                                     # sqrt(v_hat) + eps
        p -= (self.lr / bias_correction1) * (m / denom)       # (2.6) theta <- theta - lr*m_hat/(sqrt(v_hat)+eps)


class AdamW(Adam):
    """Adam with *decoupled* weight decay (Loshchilov & Hutter): ``p *= 1 - lr*lambda`` before the
    Adam step, instead of adding ``lambda*p`` to the gradient. PyTorch's default ``weight_decay=1e-2``."""

    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2):
        super().__init__(params, lr, betas, eps, weight_decay)

    def _decay(self, p, g):
        p *= 1 - self.lr * self.weight_decay                  # theta_t <- theta_{t-1} - lr*lambda*theta_{t-1}
        return g


class Adamax(Adam):
    """Adamax: Adam with the infinity norm, ``u_t = max(beta2*u_{t-1}, |g_t| + eps)``, in place of the
    root mean square; no bias correction is needed for ``u``. Same hyperparameters as Adam; lr 2e-3."""

    def __init__(self, params, lr: float = 2e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0):
        super().__init__(params, lr, betas, eps, weight_decay)

    def _init_state(self, p, state):
        state["exp_avg"] = np.zeros_like(p.value)             # m_0 <- 0
        state["exp_inf"] = np.zeros_like(p.value)             # u_0 <- 0

    def _update(self, p, g, state, t):
        b1, b2 = self.betas
        g = self._decay(p, g)                                 # g_t <- g_t + lambda*theta_{t-1}
        m, u = state["exp_avg"], state["exp_inf"]
        m *= b1                                               # m_t <- b1*m_{t-1} + (1-b1)*g_t
        m += (1 - b1) * g
        u *= b2                                               # u_t <- max(b2*u_{t-1}, |g_t| + eps)
        np.maximum(u, np.abs(g) + self.eps, out=u)
        p -= (self.lr / (1 - b1 ** t)) * (m / u)              # theta_t <- theta_{t-1} - lr*m_t/((1-b1^t)*u_t)


class NAdam(Adam):
    """Adam with Nesterov momentum (Dozat), with PyTorch's momentum schedule
    ``mu_t = beta1 * (1 - 0.5 * 0.96**(t * momentum_decay))`` and running product of the ``mu_i``."""

    def __init__(self, params, lr: float = 2e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0, momentum_decay: float = 4e-3):
        super().__init__(params, lr, betas, eps, weight_decay)
        self.momentum_decay = check_nonnegative(momentum_decay, "momentum_decay")

    def _init_state(self, p, state):
        state["mu_product"] = 1.0
        state["exp_avg"] = np.zeros_like(p.value)             # m_0 <- 0
        state["exp_avg_sq"] = np.zeros_like(p.value)          # v_0 <- 0

    def _update(self, p, g, state, t):
        b1, b2, psi = self.betas[0], self.betas[1], self.momentum_decay
        g = self._decay(p, g)                                 # g_t <- g_t + lambda*theta_{t-1}
        mu = b1 * (1 - 0.5 * 0.96 ** (t * psi))               # mu_t
        mu_next = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi))    # mu_{t+1}
        state["mu_product"] *= mu                             # prod_{i<=t} mu_i
        mu_product_next = state["mu_product"] * mu_next       # prod_{i<=t+1} mu_i
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m *= b1                                               # m_t <- b1*m_{t-1} + (1-b1)*g_t
        m += (1 - b1) * g
        v *= b2                                               # v_t <- b2*v_{t-1} + (1-b2)*g_t^2
        v += (1 - b2) * (g * g)
        denom = np.sqrt(v / (1 - b2 ** t)) + self.eps         # sqrt(v_hat_t) + eps
        m_hat = (mu_next / (1 - mu_product_next)) * m + ((1 - mu) / (1 - state["mu_product"])) * g
        p -= self.lr * (m_hat / denom)                        # theta_t <- theta_{t-1} - lr*m_hat/(sqrt(v_hat)+eps)


OPTIMIZERS = {"sgd": SGD, "rmsprop": RMSprop, "adam": Adam, "adamw": AdamW, "adamax": Adamax, "nadam": NAdam}


def get_optimizer(name: str, params, **kwargs) -> Optimizer:
    """Build an optimizer by (case-insensitive) name, e.g. ``get_optimizer("adam", params, lr=1e-3)``."""
    key = check_choice(str(name).lower(), "name", OPTIMIZERS)
    return OPTIMIZERS[key](params, **kwargs)


def clip_grad_norm(params, max_norm: float) -> float:
    """Rescale all gradients together so that their global L2 norm is at most ``max_norm``.

    Returns the norm *before* clipping (as ``torch.nn.utils.clip_grad_norm_``). If that norm is not
    finite the gradients are left untouched and the inf/NaN norm is returned, so that the training
    loop can report the divergence instead of silently multiplying by NaN.
    """
    params = _as_param_list(params)
    max_norm = check_positive(max_norm, "max_norm")
    # Scale by the largest entry first, so that squaring huge gradients cannot overflow (and warn).
    largest = float(np.max([np.max(np.abs(p.grad), initial=0.0) for p in params]))  # NaN propagates
    if not math.isfinite(largest):
        return largest
    if largest == 0.0:
        return 0.0
    total = largest * math.sqrt(sum(float(np.sum(np.square(p.grad / largest))) for p in params))
    if not math.isfinite(total):
        return total
    coef = max_norm / (total + 1e-6)
    if coef < 1:
        for p in params:
            p.grad *= coef
    return total


def clip_grad_value(params, clip_value: float) -> None:
    """Clip every gradient entry into ``[-clip_value, clip_value]`` in place."""
    params = _as_param_list(params)
    clip_value = check_positive(clip_value, "clip_value")
    for p in params:
        np.clip(p.grad, -clip_value, clip_value, out=p.grad)
