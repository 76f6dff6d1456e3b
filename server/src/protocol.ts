// Custom LSP requests shared by the client and the server (declared once, as vscode-eslint does).
import type { SimulateOptions, SimulationResult, StrategyChoice, StrategyParams, Faults } from './engine/types';

export const SIMULATE_REQUEST = 'kdry/simulate';

export interface SimulateParams {
  /** Document to simulate (must be open or readable by the server). */
  uri: string;
  /** Text to use instead of the server's copy (e.g. the editor buffer). */
  text?: string;
  /** Which workload; default the one at `offset`, else the first. */
  workload?: { kind: string; name: string };
  offset?: number;
  /** Text of the file before the change (git HEAD), for a rollout from before to after. */
  beforeText?: string;
  strategy?: StrategyChoice;
  strategyParams?: StrategyParams;
  faults?: Faults;
  windowSeconds?: number;
}

export interface SimulateResponse {
  result?: SimulationResult;
  /** The workloads in the file, for the picker. */
  workloads: { kind: string; name: string; offset: number }[];
  error?: string;
}

export type { SimulateOptions, SimulationResult };
