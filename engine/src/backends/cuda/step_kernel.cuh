// The CUDA backend's step: one block per batch copy runs steps t0..t0+steps-1 of that copy
// (docs/architecture.md, "Simulation semantics"). Included, inside namespace spikelab::cuda,
// by kernels.cu (the kernel nvcc builds for the built-in models) and by the source of a step
// library (step_library.cpp: the same step with a network's own models, compiled while
// SpikeLab runs). This file mirrors the CPU backend's float operations one for one; compiled
// without FMA contraction and without fast-math, which is what makes the two give identical
// spikes.
//
// The includer defines before it:
//   constexpr int kThreads                      threads per block, a multiple of 32
//   updateNeuronModel(model, state, cell, Isyn, k, t, dt, rng)   the neuron model dispatch
//   applyBuiltinPostsynaptic, decayBuiltinPostsynaptic           (cuda_postsynaptic_kernels.inc)
// and the device built-ins (CUDA's, or the emulated device's).

constexpr int kWarps = kThreads / 32;

// Contributions of projection j to target neuron i of copy b at step t, added to `acc` in the
// CPU's order: spikes in the order of the source's spike list, and within a sparse row in
// ascending synapse order. A delta model's weights go straight into `acc`; any other model's
// go into its buffer, and its apply_input code moves them on.
__device__ float deliver(const DeviceNetwork& net, const DeviceProjection& j, int b,
                         std::int64_t t, float time, std::int64_t i, float acc) {
    const DevicePopulation& src = net.populations[j.source];
    const std::int64_t slots = src.historySlots;
    const std::int64_t emitted = t - 1 - j.delaySteps;
    const std::int64_t slot = ((emitted % slots) + slots) % slots;
    const std::int64_t slotIndex = std::int64_t(b) * slots + slot;
    const std::int64_t numSpikes = src.historyCount[slotIndex];
    const std::uint32_t* spikes = src.history + slotIndex * src.size;
    const std::int64_t tgtStride = net.populations[j.target].size;
    float buffer = j.inSyn ? j.inSyn[std::int64_t(b) * tgtStride + i] : acc;
    switch (j.connectivity) {
    case kDeviceDense:
        for (std::int64_t s = 0; s < numSpikes; ++s)
            buffer += j.weights[std::int64_t(spikes[s]) * j.numPost + i];
        break;
    case kDeviceOneToOne:
        for (std::int64_t s = 0; s < numSpikes; ++s)
            if (spikes[s] == i) buffer += j.weights[i];
        break;
    case kDeviceSparse:
        for (std::int64_t s = 0; s < numSpikes; ++s) {
            std::int64_t lo = j.rowStart[spikes[s]], hi = j.rowStart[spikes[s] + 1];
            while (lo < hi) {  // first synapse of the row with target >= i
                const std::int64_t mid = lo + (hi - lo) / 2;
                if (j.targets[mid] < i) lo = mid + 1;
                else hi = mid;
            }
            const std::int64_t end = j.rowStart[spikes[s] + 1];
            for (std::int64_t k = lo; k < end && j.targets[k] == i; ++k) buffer += j.weights[k];
        }
        break;
    }
    if (!j.inSyn) return buffer;
    applyBuiltinPostsynaptic(j.model, buffer, acc, j.constants, time, float(net.dt));
    j.inSyn[std::int64_t(b) * tgtStride + i] = buffer;
    return acc;
}

// Steps 1-3 of docs/architecture.md, "Simulation semantics", for one neuron of copy b: its
// input, then its update. Writes the spike flag; the spike lists are built afterwards, in index
// order.
__device__ void updateNeuron(const DeviceNetwork& net, const DevicePopulation& pop, int b,
                             std::int64_t t, float time, std::int64_t i) {
    const std::int64_t cell = std::int64_t(b) * pop.size + i;
    float drive;
    if (pop.input && !pop.hasIncoming) {
        drive = pop.input[cell];  // 0 + I is I: the CPU reads the current directly too
    } else {
        float acc = 0.0f;
        for (int k = 0; k < pop.numIncoming; ++k)
            acc = deliver(net, net.projections[net.incoming[pop.firstIncoming + k]], b, t, time, i, acc);
        if (pop.input) acc += pop.input[cell];
        drive = acc;
    }
    float* state[kMaxStateVars];
    for (int v = 0; v < pop.numStateVars; ++v) state[v] = pop.state[v] + std::int64_t(b) * pop.size;
    const SpikelabRandom rng = spikelab_random(pop.randomKey, std::uint32_t(b), i, std::uint64_t(t));
    const bool spiked = updateNeuronModel(pop.model, state, i, drive, pop.constants, time, float(net.dt), rng);
    pop.spiked[cell] = spiked;
    // The buffers decay after the neurons have read them (GeNN's order).
    for (int k = 0; k < pop.numIncoming; ++k) {
        const DeviceProjection& j = net.projections[net.incoming[pop.firstIncoming + k]];
        if (j.inSyn) decayBuiltinPostsynaptic(j.model, j.inSyn[cell], j.constants, time, float(net.dt));
    }
}

// Turns the spike flags of one population and copy into its ascending spike list for step t
// (warp ballots, then a scan over the block's warps), counts and records the spikes.
__device__ void collectSpikes(const DevicePopulation& pop, int b, std::int64_t slotIndex,
                              std::int64_t record, std::int32_t* warpOffset) {
    const int lane = int(threadIdx.x) & 31, warp = int(threadIdx.x) >> 5;
    std::uint32_t* list = pop.history + slotIndex * pop.size;
    std::uint32_t* recorded = pop.recordedSpikes ? pop.recordedSpikes + record * pop.size : nullptr;
    std::int64_t base = 0;
    for (std::int64_t c0 = 0; c0 < pop.size; c0 += kThreads) {
        const std::int64_t i = c0 + threadIdx.x;
        const bool fired = i < pop.size && pop.spiked[std::int64_t(b) * pop.size + i];
        const unsigned ballot = __ballot_sync(0xffffffffu, fired);
        if (lane == 0) warpOffset[warp] = __popc(ballot);
        __syncthreads();
        if (threadIdx.x == 0) {
            std::int32_t sum = 0;
            for (int w = 0; w < kWarps; ++w) {
                const std::int32_t n = warpOffset[w];
                warpOffset[w] = sum;
                sum += n;
            }
            warpOffset[kWarps] = sum;
        }
        __syncthreads();
        if (fired) {
            const std::int64_t pos = base + warpOffset[warp] + __popc(ballot & ((1u << lane) - 1u));
            list[pos] = std::uint32_t(i);
            ++pop.counts[std::int64_t(b) * pop.size + i];
            if (recorded) recorded[pos] = std::uint32_t(i);
        }
        base += warpOffset[kWarps];
        __syncthreads();  // warpOffset is reused by the next chunk
    }
    if (threadIdx.x == 0) {
        pop.historyCount[slotIndex] = base;
        if (recorded) pop.recordedSpikeCount[record] = std::int32_t(base);
    }
}

// A SpikeSource's step t: the copy's train entries for that step, verbatim (the CPU copies
// them as given, duplicates included).
__device__ void emitTrain(const DevicePopulation& pop, int b, std::int64_t t,
                          std::int64_t slotIndex, std::int64_t record) {
    std::int64_t begin = 0, count = 0;
    if (pop.trains) {  // null until the first train is uploaded
        const DeviceTrain& train = pop.trains[b];
        const std::int64_t s = t - train.start;
        if (train.inputs && s >= 0 && s < train.steps) {
            begin = train.stepStart[s];
            count = train.stepStart[s + 1] - begin;
        }
    }
    const std::uint32_t* inputs = pop.trains ? pop.trains[b].inputs : nullptr;
    std::uint32_t* list = pop.history + slotIndex * pop.size;
    std::uint32_t* recorded = pop.recordedSpikes ? pop.recordedSpikes + record * pop.size : nullptr;
    for (std::int64_t k = threadIdx.x; k < count; k += kThreads) {
        const std::uint32_t neuron = inputs[begin + k];
        list[k] = neuron;
        atomicAdd(&pop.counts[std::int64_t(b) * pop.size + neuron], 1u);
        if (recorded) recorded[k] = neuron;
    }
    if (threadIdx.x == 0) {
        pop.historyCount[slotIndex] = count;
        if (recorded) pop.recordedSpikeCount[record] = std::int32_t(count);
    }
}

// One block per batch copy runs all `steps` steps of that copy: copies never interact, so no
// grid-wide synchronisation is needed and advance(n) is a single launch.
__device__ void advanceSteps(const DeviceNetwork& net, std::int64_t t0, std::int64_t steps,
                             std::int64_t recordOffset) {
    __shared__ std::int32_t warpOffset[kWarps + 1];
    const int b = int(blockIdx.x);
    for (std::int64_t k = 0; k < steps; ++k) {
        const std::int64_t t = t0 + k;
        const float time = float(double(t) * net.dt);  // ms at the start of the step, as the CPU's
        // Steps 1-3 for every neuron. Reads only spike lists of earlier steps.
        for (std::int64_t n = threadIdx.x; n < net.updatedNeurons; n += kThreads) {
            int p = 0;
            while (net.populations[p].model == kSpikeSource ||
                   n >= net.populations[p].neuronOffset + net.populations[p].size)
                ++p;
            const DevicePopulation& pop = net.populations[p];
            updateNeuron(net, pop, b, t, time, n - pop.neuronOffset);
        }
        __syncthreads();  // every delivery has read the history before it is overwritten
        const std::int64_t blockRow = std::int64_t(b) * net.blockSteps + recordOffset + k;
        for (int p = 0; p < net.numPopulations; ++p) {
            const DevicePopulation& pop = net.populations[p];
            const std::int64_t slotIndex = std::int64_t(b) * pop.historySlots + t % pop.historySlots;
            if (pop.model == kSpikeSource) emitTrain(pop, b, t, slotIndex, blockRow);
            else collectSpikes(pop, b, slotIndex, blockRow, warpOffset);
            for (int v = 0; v < pop.numRecordedVars; ++v) {
                const float* values = pop.state[pop.recordedVars[v]] + std::int64_t(b) * pop.size;
                float* out = pop.recordedStates +
                             ((std::int64_t(v) * net.batch * net.blockSteps) + blockRow) *
                                 pop.numRecordedNeurons;
                for (std::int64_t r = threadIdx.x; r < pop.numRecordedNeurons; r += kThreads)
                    out[r] = values[pop.recordedNeurons[r]];
            }
        }
        __syncthreads();  // this step's spike lists are complete before the next step reads them
    }
}

