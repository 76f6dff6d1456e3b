// Small manifests the simulation tests share: a Deployment whose pod spec is given.
export function deployment(name: string, podSpec: string, extra = '', replicas = 3): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
${extra}  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
${podSpec}`;
}

/** One container `app` with the given lines under it (already indented by 8). */
export function container(lines = ''): string {
  return `      containers:
      - name: app
        image: registry.example/app:1.4.2
${lines}`;
}
