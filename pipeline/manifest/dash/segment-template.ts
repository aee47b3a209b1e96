// SegmentTemplate @media and @initialization identifiers (ISO/IEC 23009-1 §5.3.9.4.4).
import { ProtocolError } from '../../core/errors.js';

/** The identifiers §5.3.9.4.4 defines; a width format tag (%0Nd) is allowed on all but RepresentationID. */
const IDENTIFIER = /^(RepresentationID|Number|Bandwidth|Time|SubNumber)(%0[0-9]+d)?$/;

/** The identifiers a template uses, e.g. "$RepresentationID$-$Time$.m4s" → ['RepresentationID', 'Time']. */
export function templateIdentifiers(template: string): string[] {
  const found: string[] = [];
  let i = 0;
  for (;;) {
    const open = template.indexOf('$', i);
    if (open < 0) return found;
    const close = template.indexOf('$', open + 1);
    if (close < 0) throw new ProtocolError(`template "${template}" has an unpaired $`);
    const body = template.slice(open + 1, close);
    if (body !== '') {
      const m = IDENTIFIER.exec(body);
      if (!m) throw new ProtocolError(`template "${template}" uses an unknown identifier $${body}$`);
      if (m[1] === 'RepresentationID' && m[2] !== undefined) {
        throw new ProtocolError(`template "${template}": $RepresentationID$ takes no format tag`);
      }
      found.push(m[1]);
    }
    i = close + 1;
  }
}

/** @media for SegmentTimeline addressing by time: $Time$ required, $Number$ and $SubNumber$ not used. */
export function validateMediaTemplate(template: string): void {
  const ids = templateIdentifiers(template);
  if (!ids.includes('Time')) throw new ProtocolError(`media template "${template}" lacks $Time$`);
  if (ids.includes('Number') || ids.includes('SubNumber')) {
    throw new ProtocolError(`media template "${template}" mixes $Number$ into $Time$ addressing`);
  }
}

/** @initialization may use only $RepresentationID$ and $Bandwidth$ (§5.3.9.4.4). */
export function validateInitializationTemplate(template: string): void {
  const ids = templateIdentifiers(template);
  const bad = ids.find((id) => id !== 'RepresentationID' && id !== 'Bandwidth');
  if (template === '' || bad !== undefined) {
    throw new ProtocolError(`initialization "${template}" is empty or uses $${bad ?? ''}$`);
  }
}
