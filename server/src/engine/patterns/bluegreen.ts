// Blue/Green: the new template runs as `<name>-green` at full size while the Service keeps
// selecting blue (pinned by pod-template-hash); once green is fully available the selector is
// switched to green in one step, and only then blue is scaled to 0.
import type { World } from '../types';
import type { DeploymentController } from '../controllers/deployment/controller';
import { deriveDeployment, PatternController, replicasOf, podRevisionOf } from './common';
import type { Obj } from '../objects';

type Stage = 'green' | 'switch' | 'retireBlue' | 'finish';

export class BlueGreenController extends PatternController {
  readonly kind = 'BlueGreen';
  private green?: DeploymentController;
  private stage: Stage = 'green';

  protected restart(): void {
    this.stage = 'green';
  }

  protected advance(world: World, after: Obj): boolean {
    switch (this.stage) {
      case 'green': {
        const pinned = this.pinService(world, podRevisionOf(this.before));
        this.green = this.sideDeployment(this.green, after, 'green', replicasOf(after));
        const where = pinned ? `Service ${pinned} keeps selecting blue (pod-template-hash=${podRevisionOf(this.before)})` : 'no Service selects these pods';
        world.event(this.objectName, `Green ${this.green.name} created with ${replicasOf(after)} replica(s); ${where}`);
        this.stage = 'switch';
        return true;
      }
      case 'switch': {
        const revision = podRevisionOf(after);
        const switched = this.pinService(world, revision);
        world.event(this.objectName, switched ? `Green fully available: Service ${switched} switched to green (pod-template-hash=${revision})` : 'Green fully available: no Service to switch');
        this.stage = 'retireBlue';
        return true;
      }
      case 'retireBlue':
        this.stable.update(deriveDeployment(this.before, this.stable.name, { replicas: 0 }));
        world.event(this.objectName, `Blue ${this.stable.name} scaled to 0`);
        this.stage = 'finish';
        return true;
      case 'finish':
        this.done = true;
        return true;
    }
  }
}
