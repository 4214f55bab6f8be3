"""The offline runtime: llama.cpp generation, code extraction, best-of-N and verifier-guided repair.

    gamecwm generate gen_tic_tac_toe --samples 4 --repair 1 -o gen_tic_tac_toe.py --verify

llama_cpp is imported only when a model is loaded, so this package imports fast.
"""

from gamecwm.runtime.extract import extract_code
from gamecwm.runtime.generate import Cancelled, Draft, GenerateConfig, generate, repair_messages
from gamecwm.runtime.llama import LlamaGenerator, default_model_path, load_llama

__all__ = [
    "Cancelled",
    "Draft",
    "GenerateConfig",
    "LlamaGenerator",
    "default_model_path",
    "extract_code",
    "generate",
    "load_llama",
    "repair_messages",
]
