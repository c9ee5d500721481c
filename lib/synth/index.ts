// Public API of the synth concern (synthesis, GitOps output and the review report).
export { synthApp, synthAppInto, synthAppYaml, resolveApp } from './synth-app';
export type { SynthAppOptions, SynthesizedChart, SynthesizedObject, BeforeWriteHook } from './synth-app';
export { GuardrailsApp } from './guardrails-app';
export type { GuardrailsAppProps } from './guardrails-app';
export { ArgoCdApplication } from './argocd-application';
export type { ArgoCdApplicationProps } from './argocd-application';
export { writeKustomization, renderKustomization, KUSTOMIZATION_FILE } from './kustomization';
export { writeOutputFolder, recoverOutputFolder } from './output-folder';
export type { OutputFolderOptions, OutputFolderMode } from './output-folder';
export { renderReviewReport, reviewTrees } from './review-report';
export type { ReviewReportOptions, ReviewResult } from './review-report';
export type { TreeDiff, ObjectId, FieldChange, ChangedObject, ListedObject } from './review/object-diff';
export type { TrafficDiff } from './review/traffic-diagram';
export type { Flow } from './review/network-flows';
export { readManifestTree, readManifestTreeFromDir, readManifestTreeFromGitRef } from './review/manifest-tree';
export type { TreeObject, GitTreeOptions } from './review/manifest-tree';
export { podSecurityReviewCheck, defaultReviewChecks } from './review/policy-checks';
export type { ReviewFinding, ReviewPolicyCheck } from './review/policy-checks';
