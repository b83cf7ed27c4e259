import { typed, type TypeDescriptions } from './type-description';

const NOT_MOUNTED = "Validated and kept; Skiff's node agent mounts no volumes yet.";

/** Pod volumes and their sources. */
export const VOLUME_TYPES: TypeDescriptions = {
  Volume: {
    description: `A named volume the containers of a pod may mount. At most one source; none means emptyDir. ${NOT_MOUNTED}`,
    fields: {
      name: 'Name of the volume, a DNS label unique within the pod; volumeMounts refer to it.',
      emptyDir: typed(
        'EmptyDirVolumeSource',
        'A scratch directory created empty with the pod and removed with it.',
      ),
      configMap: typed('ConfigMapVolumeSource', 'The keys of a ConfigMap, as files.'),
      secret: typed('SecretVolumeSource', 'The keys of a Secret, as files.'),
      hostPath: typed('HostPathVolumeSource', 'A file or directory of the node itself.'),
      persistentVolumeClaim: typed(
        'PersistentVolumeClaimVolumeSource',
        'The volume bound to a PersistentVolumeClaim. Skiff serves no PersistentVolumeClaims.',
      ),
      projected:
        'Several Secrets, ConfigMaps, downward API items and tokens in one directory. Accepted and kept as written.',
      downwardAPI: 'Fields of the pod, as files. Accepted and kept as written.',
      csi: 'A volume from a CSI driver. Accepted and kept as written.',
      ephemeral:
        'A volume from a claim created with the pod and deleted with it. Accepted and kept as written.',
      nfs: 'An NFS export. Accepted and kept as written.',
    },
  },
  EmptyDirVolumeSource: {
    description: 'A scratch directory for the life of the pod.',
    fields: {
      medium: "Empty for the node's disk, or Memory for a RAM-backed filesystem.",
      sizeLimit: 'The most the directory may hold; the pod is evicted when it grows beyond.',
    },
  },
  ConfigMapVolumeSource: {
    description: 'A ConfigMap projected as files, one per key.',
    fields: {
      name: "Name of the ConfigMap, in the pod's namespace.",
      items: typed(
        'KeyToPath',
        'Only these keys, at these paths; all keys, named after themselves, when empty.',
      ),
      defaultMode: 'Permission bits of the files, e.g. 0644 (420, the default).',
      optional: 'When true, a missing ConfigMap or key is not an error.',
    },
  },
  SecretVolumeSource: {
    description: 'A Secret projected as files, one per key.',
    fields: {
      secretName: "Name of the Secret, in the pod's namespace.",
      items: typed(
        'KeyToPath',
        'Only these keys, at these paths; all keys, named after themselves, when empty.',
      ),
      defaultMode: 'Permission bits of the files, e.g. 0644 (420, the default).',
      optional: 'When true, a missing Secret or key is not an error.',
    },
  },
  KeyToPath: {
    description: 'Puts one key at a file path.',
    fields: {
      key: 'The key.',
      path: 'Relative path of the file; may not contain ..',
      mode: 'Permission bits of this file, overriding defaultMode.',
    },
  },
  HostPathVolumeSource: {
    description: 'A path on the node.',
    fields: {
      path: 'The path on the node.',
      type: 'What must be there: empty (no check), DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice or BlockDevice.',
    },
  },
  PersistentVolumeClaimVolumeSource: {
    description: "Refers to a PersistentVolumeClaim in the pod's namespace.",
    fields: {
      claimName: 'Name of the claim.',
      readOnly: 'Mount read-only.',
    },
  },
};
