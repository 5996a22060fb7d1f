import { CfnCondition } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';

/** Ports the control plane opens on nodes: kubelet (EP-3 guarded by authn) and admission-webhook servers. */
export const CONTROL_PLANE_TO_NODE_PORTS = [443, 4443, 5443, 8443, 9443, 10250] as const;

export interface ClusterSecurityGroupsProps {
  readonly vpc: ec2.IVpc;
  /** Corporate ranges allowed to reach the private API endpoint on 443, each with the condition under which it applies. */
  readonly corporateCidrs: { cidr: string; condition?: CfnCondition }[];
}

/**
 * Separate security groups for the control plane and the nodes (PV-4) with only what EKS needs: 443 to the API
 * from nodes, the kubectl handler and the corporate network; kubelet and webhook ports from the control plane to
 * nodes; node-to-node traffic for pods. Nothing on 22 and no ingress from 0.0.0.0/0 (TH-1, EP-1, EP-2, EP-3).
 */
export class ClusterSecurityGroups extends Construct {
  readonly controlPlane: ec2.SecurityGroup;
  readonly nodes: ec2.SecurityGroup;
  /** The kubectl handler Lambda's group: it only talks to the API endpoint and the VPC endpoints. */
  readonly kubectlHandler: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: ClusterSecurityGroupsProps) {
    super(scope, id);
    this.controlPlane = new ec2.SecurityGroup(this, 'ControlPlane', {
      vpc: props.vpc,
      allowAllOutbound: false,
      description: 'EKS control plane ENIs: API from nodes, kubectl handler and corporate network',
    });
    this.nodes = new ec2.SecurityGroup(this, 'Nodes', {
      vpc: props.vpc,
      allowAllOutbound: false,
      description: 'EKS worker nodes: kubelet and webhooks from the control plane, pod traffic between nodes',
    });
    this.kubectlHandler = new ec2.SecurityGroup(this, 'KubectlHandler', {
      vpc: props.vpc,
      allowAllOutbound: false,
      description: 'kubectl handler Lambda: HTTPS to the API endpoint and VPC endpoints',
    });

    this.controlPlane.addIngressRule(this.nodes, ec2.Port.tcp(443), 'Kubernetes API from nodes');
    this.controlPlane.addIngressRule(this.kubectlHandler, ec2.Port.tcp(443), 'Kubernetes API from the kubectl handler');
    props.corporateCidrs.forEach(({ cidr, condition }, i) => {
      const rule = new ec2.CfnSecurityGroupIngress(this, `CorporateApiAccess${i}`, {
        groupId: this.controlPlane.securityGroupId,
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrIp: cidr,
        description: 'Kubernetes API from the corporate network',
      });
      if (condition) rule.cfnOptions.condition = condition;
      acknowledge(
        rule,
        'AwsSolutions-EC23',
        'The source is one of the platform-approved corporate ranges (a launch parameter, checked by a template rule), never 0.0.0.0/0.',
      );
    });
    for (const port of CONTROL_PLANE_TO_NODE_PORTS) {
      this.controlPlane.addEgressRule(this.nodes, ec2.Port.tcp(port), `Control plane to nodes on ${port}`);
      this.nodes.addIngressRule(this.controlPlane, ec2.Port.tcp(port), `Control plane to nodes on ${port}`);
    }

    this.nodes.addIngressRule(this.nodes, ec2.Port.allTraffic(), 'Pod and node traffic between nodes');
    this.nodes.addEgressRule(this.nodes, ec2.Port.allTraffic(), 'Pod and node traffic between nodes');
    this.nodes.addEgressRule(this.controlPlane, ec2.Port.tcp(443), 'Kubernetes API');
    this.nodes.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(443),
      'HTTPS to VPC endpoints and, with NAT, image registries',
    );
    this.nodes.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.udp(53), 'DNS to the VPC resolver');
    this.nodes.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(53), 'DNS to the VPC resolver');

    this.kubectlHandler.addEgressRule(this.controlPlane, ec2.Port.tcp(443), 'Kubernetes API');
    this.kubectlHandler.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(443),
      'HTTPS to VPC endpoints (EKS, STS, ECR, S3) and chart repositories',
    );
  }
}
