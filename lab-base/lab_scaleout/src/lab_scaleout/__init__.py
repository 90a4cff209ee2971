"""The lab's scale-out wing: Beam worker pools, Kubeflow / Vertex AI compile, output comparison.

beam_worker: the worker pool of the compose profile `escalado` (LAB_BEAM_MODE=portable);
kubeflow: `python -m lab_scaleout.kubeflow proyecton.pipeline`, compiled and checked offline;
outputs: whether two runs wrote the same data, however Beam sharded it (bench/, tests).
"""
