import { MemoryChannelFactory } from '../../channels/index.js';
import { describeChannelConformance } from './channel.suite.js';

describeChannelConformance('memory', () => Promise.resolve(new MemoryChannelFactory()));
