import { JobKind, type Job } from '../../../lib/kinds/job';
import { aJob } from '../../support/builders';
import { decoded, invalidCauses, invalidLines } from './decode-helpers';

describe('Job', () => {
  describe('defaults', () => {
    it('runs one pod once when neither completions nor parallelism is set', () => {
      const { spec } = decoded<Job>(JobKind, aJob());
      expect(spec).toMatchObject({
        completions: 1,
        parallelism: 1,
        backoffLimit: 6,
        completionMode: 'NonIndexed',
        suspend: false,
        podReplacementPolicy: 'TerminatingOrFailed',
      });
    });

    it('leaves completions unset for a work queue (parallelism only)', () => {
      const { spec } = decoded<Job>(JobKind, aJob({ parallelism: 3 }));
      expect(spec.parallelism).toBe(3);
      expect(spec.completions).toBeUndefined();
    });

    it('defaults parallelism to 1 when only completions is set', () => {
      const { spec } = decoded<Job>(JobKind, aJob({ completions: 5 }));
      expect(spec).toMatchObject({ completions: 5, parallelism: 1 });
    });

    it('has no backoff limit per job when limits are per index', () => {
      const { spec } = decoded<Job>(
        JobKind,
        aJob({ completions: 2, completionMode: 'Indexed', backoffLimitPerIndex: 1 }),
      );
      expect(spec.backoffLimit).toBe(2147483647);
    });

    it("takes its pod template's labels when it has none", () => {
      expect(decoded<Job>(JobKind, aJob()).metadata.labels).toEqual({ app: 'batch' });
      expect(decoded<Job>(JobKind, aJob({ labels: { team: 'a' } })).metadata.labels).toEqual({ team: 'a' });
    });
  });

  describe('validation', () => {
    it('requires restartPolicy Never or OnFailure (Always by default is refused)', () => {
      const job = aJob();
      delete (job.spec!.template!.spec as { restartPolicy?: string }).restartPolicy;
      expect(invalidCauses(JobKind, job)).toEqual([
        {
          reason: 'FieldValueNotSupported',
          field: 'spec.template.spec.restartPolicy',
          message: 'Unsupported value: "Always": supported values: "OnFailure", "Never"',
        },
      ]);
    });

    it('requires completions for Indexed jobs', () => {
      expect(invalidLines(JobKind, aJob({ parallelism: 2, completionMode: 'Indexed' }))).toEqual([
        'spec.completions: Required value: when completion mode is Indexed',
      ]);
    });

    it('refuses an unknown completion mode', () => {
      expect(invalidLines(JobKind, aJob({ completionMode: 'Sometimes' }))).toEqual([
        'spec.completionMode: Unsupported value: "Sometimes": supported values: "NonIndexed", "Indexed"',
      ]);
    });

    it('refuses negative counts', () => {
      expect(invalidLines(JobKind, aJob({ backoffLimit: -1, ttlSecondsAfterFinished: -5 }))).toEqual([
        'spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0',
        'spec.ttlSecondsAfterFinished: Invalid value: -5: must be greater than or equal to 0',
      ]);
    });

    it('requires a manual selector to match the template', () => {
      expect(
        invalidLines(JobKind, aJob({ manualSelector: true, selector: { matchLabels: { app: 'x' } } })),
      ).toEqual([
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"batch"}: `selector` does not match template `labels`',
      ]);
    });
  });
});
