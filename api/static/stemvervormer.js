// trede meldpunt: an AudioWorklet that lowers the pitch of the microphone's sound before it
// is recorded (a light voice disguise, not anonymity: words, accent and manner of speaking
// stay). Two read heads sweep through a short delay line at a rate set by the ratio and are
// cross-faded, the classic delay-line pitch shifter; nothing leaves the device undisguised.
class Stemvervormer extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const given = options && options.processorOptions ? options.processorOptions.ratio : 0;
    this.ratio = given > 0 ? given : 0.72; // below 1: a lower voice
    this.window = Math.round(sampleRate * 0.05); // 50 ms grains
    this.buffer = new Float32Array(this.window * 4);
    this.write = 0;
    this.phase = 0;
  }

  read(delay) {
    const size = this.buffer.length;
    let position = this.write - delay;
    while (position < 0) position += size;
    const i = Math.floor(position);
    const fraction = position - i;
    return this.buffer[i % size] * (1 - fraction) + this.buffer[(i + 1) % size] * fraction;
  }

  process(inputs, outputs) {
    const input = inputs[0] && inputs[0][0];
    const output = outputs[0];
    if (!output || !output[0]) return true;
    const step = (1 - this.ratio) / this.window;
    for (let n = 0; n < output[0].length; n++) {
      this.buffer[this.write] = input ? input[n] : 0;
      this.phase = (this.phase + step + 1) % 1;
      const other = (this.phase + 0.5) % 1;
      const gain1 = 1 - Math.abs(2 * this.phase - 1);
      const gain2 = 1 - Math.abs(2 * other - 1);
      const value = gain1 * this.read(this.phase * this.window + 1) + gain2 * this.read(other * this.window + 1);
      for (const channel of output) channel[n] = value;
      this.write = (this.write + 1) % this.buffer.length;
    }
    return true;
  }
}

registerProcessor("stemvervormer", Stemvervormer);
