package io.modelgate.rollout;

/** Compares the canary with the stable version; pure, so each judge is tested without traffic. */
public interface Judge {
    Judgement judge(Observations observations);
}
