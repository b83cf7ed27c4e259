import { jobPodManifest, jobPodName } from '../../../../lib/controllers/job/job-pod';
import { decodeObject } from '../../../../lib/kinds/decode';
import { JobKind, type Job } from '../../../../lib/kinds/job';
import { aJob } from '../../../support/builders';

describe('Job pods', () => {
  it('are named from the job uid and attempt: stable, distinct per attempt and per job', () => {
    expect(jobPodName('batch', 'uid-1', 0)).toBe(jobPodName('batch', 'uid-1', 0));
    expect(jobPodName('batch', 'uid-1', 0)).toMatch(/^batch-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const names = new Set([0, 1, 2, 3].map((attempt) => jobPodName('batch', 'uid-1', attempt)));
    expect(names.size).toBe(4);
    expect(jobPodName('batch', 'uid-2', 0)).not.toBe(jobPodName('batch', 'uid-1', 0));
  });

  it("carry job-name, controller-uid and the template's labels, and are controlled by the Job", () => {
    const decoded = decodeObject(JobKind, aJob({ podLabels: { app: 'batch' } })).object;
    const job = { ...decoded, metadata: { ...decoded.metadata, uid: 'uid-1' } } as unknown as Job;
    const pod = jobPodManifest(job, 2);
    expect(pod.metadata.labels).toEqual({ app: 'batch', 'job-name': 'batch', 'controller-uid': 'uid-1' });
    expect(pod.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        name: 'batch',
        uid: 'uid-1',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect((pod.spec as { restartPolicy: string }).restartPolicy).toBe('Never');
  });
});
