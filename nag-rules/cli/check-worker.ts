// A worker thread of `eks-threat-model check`: loads and judges the templates it claims (see worker-pool.ts).
import { evaluateWithThePack } from './evaluate-file';
import { checkTemplateInput, InputContext } from './check-inputs';
import type { TemplateInput } from './inputs';
import { packOutcome } from './outcome-transfer';
import { serveJobs } from './worker-pool';

serveJobs((input: TemplateInput, context) =>
  packOutcome(checkTemplateInput(input, context as InputContext, evaluateWithThePack)),
);
